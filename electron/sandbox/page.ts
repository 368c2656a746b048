import { fenToYuanString } from '../../shared/money';
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
document.querySelectorAll('button[data-code-url]').forEach((b) =>
  b.addEventListener('click', () => pay(b.dataset.codeUrl, document.getElementById('delay').value)));
`;

export function sandboxPage(orders: readonly SandboxOrderView[], mchid: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>微信支付沙箱 / WeChat Pay SANDBOX</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 60em; }
h1 { color: #07c160; } .banner { background: #fff3cd; padding: .5em 1em; border-radius: 4px; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
input { padding: .3em; } button { padding: .3em .8em; }
</style></head>
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
<h2>最近订单 / Recent orders</h2>
<table><tr><th>out_trade_no</th><th>type</th><th>state</th><th>amount</th><th></th></tr>
${orderRows(orders)}
</table>
<h2>测试钱包 / Test wallets (payment code digits 3–4; digits 7–10 must be 0000)</h2>
<table><tr><th>digits</th><th>wallet</th><th>behaviour</th><th>example</th></tr>
${walletRows()}
</table>
<script>${SCRIPT}</script>
</body></html>`;
}
