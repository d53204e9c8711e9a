/**
 * Which door the app came through: the desktop window (the preload's window.tokendesk) or a
 * browser tab served by `tokendesk ui` (no preload: lib/web-bridge.ts talks HTTP instead). The
 * browser has no OAuth window, tray or system notifications; components ask this to say so.
 */
export const browserDoor: boolean = !('tokendesk' in window);
