/**
 * The WeChat Pay sandbox in its own process for the drain benchmark, so that its work and the app's can be told
 * apart (CPU time per process, and the sandbox's own handler time from its timing channel). Driven over the IPC
 * channel: {cmd:'outage'|'restore'|'stats'|'stop'}; the first message it sends is {ready, credentials}.
 * Started only by drain.bench.ts, which stops it by PID.
 */
import { subscribe } from 'node:diagnostics_channel';
import { SANDBOX_ANSWER_CHANNEL, startSandbox, type SandboxAnswerTiming } from '../../electron/sandbox/server';

const send = (message: unknown): void => {
  process.send?.(message);
};

const sandbox = await startSandbox({});
const handled = { answers: 0, handlerNs: 0, handlerSamples: [] as number[] };
subscribe(SANDBOX_ANSWER_CHANNEL, (message) => {
  const t = message as SandboxAnswerTiming;
  handled.answers += 1;
  handled.handlerNs += t.answeredNs - t.receivedNs;
  if (handled.handlerSamples.length < 50_000) handled.handlerSamples.push(t.answeredNs - t.receivedNs);
});
// During an outage nothing else keeps the process alive (the listening socket is closed).
const keepAlive = setInterval(() => undefined, 1 << 30);
let outageId: string | null = null;

process.on('message', (raw) => {
  const { cmd } = raw as { cmd: string };
  void (async () => {
    if (cmd === 'outage') outageId = await sandbox.faults.add({ kind: 'outage' });
    if (cmd === 'restore' && outageId) await sandbox.faults.clear(outageId);
    if (cmd === 'stats') {
      send({ cmd, cpu: process.cpuUsage(), ...handled });
      handled.handlerSamples = [];
      return;
    }
    if (cmd === 'stop') {
      clearInterval(keepAlive);
      await sandbox.close();
      send({ cmd });
      process.disconnect();
      return;
    }
    send({ cmd });
  })();
});
send({ cmd: 'ready', credentials: sandbox.credentials, url: sandbox.url });
