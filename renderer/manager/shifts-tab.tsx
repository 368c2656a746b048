import { useMemo, useState } from 'react';
import { storeDate, storeDayStart } from '../../shared/clock';
import { fen, formatYuan } from '../../shared/money';
import type { ShiftView } from '../../shared/shifts';
import { ShiftDetail } from './shift-detail';
import { useLoad, useManager } from './use-manager';

const DAY_MS = 24 * 60 * 60 * 1000;


const money = (value: number | null): string => (value === null ? '—' : formatYuan(fen(value)));

/** Shifts by day range, terminal and cashier; a shift with a cash difference stands out. */
export function ShiftsTab() {
  const { api, m, time, timeZone } = useManager();
  const today = storeDate(Date.now(), timeZone);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [cashierId, setCashierId] = useState('');
  const [terminalId, setTerminalId] = useState('');
  const [selected, setSelected] = useState<ShiftView | null>(null);
  const users = useLoad(api, 'auth.listUsers', {});
  const range = useMemo(() => ({ from: storeDayStart(from || today, timeZone), to: storeDayStart(to || today, timeZone) + DAY_MS - 1 }), [from, to, today, timeZone]);
  const terminal = terminalId.trim();
  const shifts = useLoad(api, 'shift.list', { ...range, ...(cashierId ? { cashierId } : {}), ...(terminal ? { terminalId: terminal } : {}), limit: 500 });

  if (selected) {
    return (
      <ShiftDetail
        shift={selected}
        onBack={() => {
          setSelected(null);
          shifts.reload();
        }}
        onShiftChanged={setSelected}
      />
    );
  }
  return (
    <section className="mgr-section" aria-labelledby="mgr-shifts-title">
      <h2 id="mgr-shifts-title" className="mgr-visually-hidden">
        {m('tabs.shifts')}
      </h2>
      <form
        className="mgr-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          shifts.reload();
        }}
      >
        <label>
          {m('shifts.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {m('shifts.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          {m('shifts.cashier')}
          <select value={cashierId} onChange={(e) => setCashierId(e.target.value)}>
            <option value="">{m('shifts.allCashiers')}</option>
            {(users.value ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m('shifts.terminal')}
          <input type="text" value={terminalId} maxLength={32} placeholder={m('shifts.allTerminals')} onChange={(e) => setTerminalId(e.target.value)} />
        </label>
        <button type="submit">{m('shifts.search')}</button>
      </form>
      {shifts.error && (
        <p className="mgr-error" role="alert">
          {shifts.error}
        </p>
      )}
      {shifts.value && shifts.value.length === 0 && <p className="mgr-empty">{m('shifts.empty')}</p>}
      {shifts.value && shifts.value.length > 0 && (
        <table className="mgr-table" aria-label={m('tabs.shifts')}>
          <thead>
            <tr>
              <th>{m('shifts.opened')}</th>
              <th>{m('shifts.closed')}</th>
              <th>{m('shifts.terminal')}</th>
              <th>{m('shifts.cashier')}</th>
              <th>{m('shifts.state')}</th>
              <th className="num">{m('shifts.expected')}</th>
              <th className="num">{m('shifts.counted')}</th>
              <th className="num">{m('shifts.difference')}</th>
              <th>{m('shifts.view')}</th>
            </tr>
          </thead>
          <tbody>
            {shifts.value.map((s) => {
              const differs = s.differenceFen !== null && s.differenceFen !== 0;
              return (
                <tr key={s.id} className={differs ? 'mgr-row-differs' : undefined}>
                  <td>{time(s.openedAt)}</td>
                  <td>{time(s.closedAt)}</td>
                  <td>{s.terminalId}</td>
                  <td>{s.cashierName}</td>
                  <td>
                    {s.state === 'open' ? m('shifts.open') : m('shifts.closedState')}
                    {s.zNo !== null && ` · Z${s.zNo}`}
                  </td>
                  <td className="num">{money(s.expectedCashFen)}</td>
                  <td className="num">{money(s.countedFen)}</td>
                  <td className={differs ? 'num mgr-difference' : 'num'}>{money(s.differenceFen)}</td>
                  <td>
                    <button type="button" onClick={() => setSelected(s)} aria-label={m('shifts.viewShift', { cashier: s.cashierName, time: time(s.openedAt) })}>
                      {m('shifts.view')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
