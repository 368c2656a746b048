import { createHash } from 'node:crypto';
import { fenToYuanString } from '../../shared/money';
import type { SandboxNotificationView } from './notify/service';
import type { SandboxOrderView } from './views';
import { WALLET_TABLE } from './wallets';

/** The sandbox's own small web page: a customer who pays native QR codes, the open orders, the wallet table. */

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function orderRows(orders: readonly SandboxOrderView[]): string {
  if (orders.length === 0) return '<tr><td colspan="5">暂无订单 / no orders yet</td></tr>';
  return orders
    .slice(-30)
    .reverse()
    .map((o) => {
      const pay =
        o.tradeType === 'NATIVE' && o.tradeState === 'NOTPAY' && o.codeUrl
          ? `<button type="button" data-code-url="${escapeHtml(o.codeUrl)}">付款 Pay</button>`
          : '';
      return (
        `<tr><td>${escapeHtml(o.outTradeNo)}</td><td>${o.tradeType}</td><td>${o.tradeState}</td>` +
        `<td>￥${fenToYuanString(o.totalFen)}</td><td>${pay}</td></tr>`
      );
    })
    .join('\n');
}

/** The last deliveries, newest first: what the merchant's notify_url was sent and what it answered. */
function deliveryRows(notifications: readonly SandboxNotificationView[]): string {
  const rows = notifications
    .flatMap((n) => n.attempts.map((a) => ({ n, a })))
    .sort((x, y) => y.a.at - x.a.at)
    .slice(0, 30);
  if (rows.length === 0) return '<tr><td colspan="7">暂无通知 / no notifications sent yet</td></tr>';
  return rows
    .map(({ n, a }) => {
      const answer = a.error !== null ? `error: ${a.error}` : `HTTP ${a.status ?? '-'}`;
      return (
        `<tr><td>${new Date(a.at).toISOString()}</td><td>${escapeHtml(n.eventType)} (${n.api})</td><td>${escapeHtml(n.ref)}</td>` +
        `<td>${a.attempt}${a.duplicate ? ' (dup)' : ''}</td><td>${escapeHtml(a.faults.join(', '))}</td>` +
        `<td>${escapeHtml(answer.slice(0, 80))}</td><td>${a.accepted ? '✔' : '✘'} ${n.state}</td></tr>`
      );
    })
    .join('\n');
}

function walletRows(): string {
  return WALLET_TABLE.map(
    (w) => `<tr><td><code>${w.digits}</code></td><td>${w.kind}</td><td>${escapeHtml(w.behaviour)}</td><td><code>${w.example}</code></td></tr>`,
  ).join('\n');
}

const SCRIPT = `
async function pay(codeUrl, delayMs) {
  const res = await fetch('/sandbox/customer/pay', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl, delay_ms: Number(delayMs) || 0 }),
  });
  document.getElementById('result').textContent = JSON.stringify(await res.json());
  setTimeout(() => location.reload(), 800);
}
document.getElementById('pay-form').addEventListener('submit', (e) => {
  e.preventDefault();
  pay(document.getElementById('code-url').value, document.getElementById('delay').value);
});
async function aid(path, body) {
  const res = await fetch('/sandbox/admin/' + path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  document.getElementById('aid-result').textContent = res.status + ' ' + JSON.stringify(await res.json());
  if (res.ok) setTimeout(() => location.reload(), 1500);
}
const val = (id) => document.getElementById(id).value.trim();
const fenOf = (id) => Math.round(Number(val(id)) * 100);
const on = (id, run) => document.getElementById(id).addEventListener('submit', (e) => { e.preventDefault(); run(); });
on('aid-payment', () => aid('plant/payment', { total_fen: fenOf('aid-payment-yuan') }));
on('aid-refund', () => aid('plant/refund', { out_trade_no: val('aid-refund-no'), refund_fen: fenOf('aid-refund-yuan') }));
on('aid-amount', () => aid('plant/amount', { out_trade_no: val('aid-amount-no'), total_fen: fenOf('aid-amount-yuan') }));
on('aid-reversal', () => aid('plant/reversal', { out_trade_no: val('aid-reversal-no') }));
on('aid-remove', () => aid('orders/remove', { out_trade_no: val('aid-remove-no') }));
on('aid-clock', () => aid('clock', { shift_ms: Math.round(Number(val('aid-clock-hours')) * 3600000) }));
document.querySelectorAll('button[data-code-url]').forEach((b) =>
  b.addEventListener('click', () => pay(b.dataset.codeUrl, document.getElementById('delay').value)));
`;

/** Forms for the testing aids (admin.ts): each posts JSON to /sandbox/admin/... and shows the answer. */
function aidForms(billClockShiftMs: number): string {
  const hours = Math.round((billClockShiftMs / 3_600_000) * 100) / 100;
  return `<h2>对账测试工具 / Reconciliation testing aids</h2>
<p>在商户账户上制造 POS 不知道的变化，再让账单时钟提前，当天即可下载并核对当天的账单（管理窗口 → 对账 → 重新下载某日账单）。
Make changes on the merchant account the POS does not know about, then move the bill clock ahead to fetch today's bill today
(manager window → reconciliation → download a day's bill again).</p>
<form id="aid-payment">外部收款 / Plant a payment ￥<input id="aid-payment-yuan" size="8" value="8.88"> <button type="submit">收款 Plant</button></form>
<form id="aid-refund">外部退款 / Plant a refund: out_trade_no <input id="aid-refund-no" size="32"> ￥<input id="aid-refund-yuan" size="8" value="1.00"> <button type="submit">退款 Refund</button></form>
<form id="aid-amount">改金额 / Change an order's amount: out_trade_no <input id="aid-amount-no" size="32"> ￥<input id="aid-amount-yuan" size="8"> <button type="submit">修改 Change</button></form>
<form id="aid-reversal">外部撤销 / Reverse a paid order: out_trade_no <input id="aid-reversal-no" size="32"> <button type="submit">撤销 Reverse</button></form>
<form id="aid-remove">从账本删除 / Remove an order from the ledger (“only local”): out_trade_no <input id="aid-remove-no" size="32"> <button type="submit">删除 Remove</button></form>
<form id="aid-clock">账单时钟 / Bill clock: now ${hours} h ahead; move by <input id="aid-clock-hours" size="6" value="24"> h <button type="submit">调整 Shift</button></form>
<pre id="aid-result"></pre>`;
}

const PAGE_STYLE = `
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 60em; }
h1 { color: #07c160; } .banner { background: #fff3cd; padding: .5em 1em; border-radius: 4px; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
input { padding: .3em; } button { padding: .3em .8em; } form { margin: .4em 0; }
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
/**
 * The page's Content-Security-Policy where a host sets one (the web host serves it under its own origin): only
 * this page's own inline script and style, by hash, and calls back to the same origin.
 */
export const SANDBOX_PAGE_CSP =
  `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(PAGE_STYLE)}; connect-src 'self'; ` +
  "base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function sandboxPage(
  orders: readonly SandboxOrderView[],
  mchid: string,
  billClockShiftMs = 0,
  notifications: readonly SandboxNotificationView[] = [],
): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>微信支付沙箱 / WeChat Pay SANDBOX</title>
<style>${PAGE_STYLE}</style></head>
<body>
<h1>微信支付沙箱 WeChat Pay SANDBOX</h1>
<p class="banner">沙箱 / SANDBOX — 商户号 ${escapeHtml(mchid)}. 这里没有真实资金 / no real money moves here.</p>
<h2>顾客扫码付款 / Customer pays a native QR</h2>
<form id="pay-form">
<label>code_url <input id="code-url" size="50" placeholder="weixin://wxpay/bizpayurl?pr=..."></label>
<label>延迟 delay ms <input id="delay" type="number" min="0" value="0" size="8"></label>
<button type="submit">扫码付款 Scan &amp; pay</button>
</form>
<pre id="result"></pre>
${aidForms(billClockShiftMs)}
<h2>最近订单 / Recent orders</h2>
<table><tr><th>out_trade_no</th><th>type</th><th>state</th><th>amount</th><th></th></tr>
${orderRows(orders)}
</table>
<h2>支付通知 / Notifications sent to notify_url</h2>
<table><tr><th>at (UTC)</th><th>event</th><th>out_trade_no / out_refund_no</th><th>attempt</th><th>faults</th><th>answer</th><th>result</th></tr>
${deliveryRows(notifications)}
</table>
<h2>测试钱包 / Test wallets (payment code digits 3–4; digits 7–10 must be 0000)</h2>
<table><tr><th>digits</th><th>wallet</th><th>behaviour</th><th>example</th></tr>
${walletRows()}
</table>
<script>${SCRIPT}</script>
</body></html>`;
}
