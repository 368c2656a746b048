/**
 * The first-start page behind the ready line's `admin` URL: owner name, password (twice) and the first store's
 * name, posted as JSON to the setup endpoint with the token from the URL. Deliberately tiny and self-contained;
 * the head office's real pages come with renderer/hub/.
 */
export function setupPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>总部后台设置 / Hub setup</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}</style></head>
<body><h1>总部后台设置 / Hub setup</h1>
<form id="f"><label>老板姓名 / Owner name<input name="ownerName" required maxlength="40"></label>
<label>密码（至少 10 位）/ Password (10+ characters)<input name="password" type="password" required minlength="10"></label>
<label>再次输入密码 / Password again<input name="again" type="password" required minlength="10"></label>
<label>第一家门店名称 / First store's name<input name="storeName" required maxlength="60"></label>
<button>创建 / Create</button></form><p id="m" role="status"></p>
<script>
const f = document.getElementById('f'), m = document.getElementById('m');
f.addEventListener('submit', async (e) => {
  e.preventDefault();
  const d = new FormData(f);
  if (d.get('password') !== d.get('again')) { m.textContent = '两次密码不一致 / The passwords differ'; return; }
  const token = new URLSearchParams(location.search).get('token') || '';
  const r = await fetch('/api/admin/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, ownerName: d.get('ownerName'), password: d.get('password'), storeName: d.get('storeName') }) });
  const a = await r.json();
  m.textContent = r.ok ? '已完成，可以关闭此页 / Done: you may close this page' : a.error.message;
  if (r.ok) history.replaceState(null, '', '/setup');
});
</script></body></html>`;
}
