/** The fields of Electron's Display this app uses. */
export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export type CustomerWindowPlacement =
  | { kind: 'fullscreen'; displayId: number; bounds: DisplayInfo['bounds'] }
  | { kind: 'window'; bounds: DisplayInfo['bounds'] };

/**
 * Where the customer display goes: fullscreen and frameless on the first display that is not the cashier's
 * (the primary); with a single monitor, a movable window beside the cashier's.
 */
export function placeCustomerWindow(displays: readonly DisplayInfo[], primaryId: number): CustomerWindowPlacement {
  const secondary = displays.find((d) => d.id !== primaryId);
  if (secondary) return { kind: 'fullscreen', displayId: secondary.id, bounds: secondary.bounds };
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  const area = primary?.bounds ?? { x: 0, y: 0, width: 1280, height: 800 };
  const width = Math.min(800, Math.floor(area.width / 2));
  const height = Math.min(600, Math.floor(area.height / 2));
  return { kind: 'window', bounds: { x: area.x + area.width - width, y: area.y, width, height } };
}
