/** Serial port failures in words a cashier or manager can act on. */
import type { Localized } from '../../../shared/i18n';

export function describePortError(error: Error, path: string): Localized {
  const text = error.message;
  if (/Cannot lock port/i.test(text)) {
    return { zh: `串口 ${path} 被其他程序占用`, en: `Serial port ${path} is in use by another program` };
  }
  if (/No such file or directory|ENOENT/i.test(text)) {
    return { zh: `找不到串口 ${path}，请检查扫码枪连接`, en: `Serial port ${path} not found: check the scanner's cable` };
  }
  if (/Permission denied|EACCES/i.test(text)) {
    return {
      zh: `没有权限打开串口 ${path}（请将用户加入 dialout 组）`,
      en: `No permission to open ${path} (add the user to the dialout group)`,
    };
  }
  return { zh: `串口 ${path} 出错：${text}`, en: `Serial port ${path} failed: ${text}` };
}

export const SCANNER_DISCONNECTED: Localized = { zh: '扫码枪已断开，正在重新连接', en: 'Scanner disconnected; reconnecting' };
export const SCANNER_NO_PATH: Localized = { zh: '未选择扫码枪串口', en: 'No serial port chosen for the scanner' };
