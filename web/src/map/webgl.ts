/**
 * MapLibre GL 6 renders with WebGL 2 only. Asking first lets the console show a message instead of a
 * crash on machines without it (e.g. headless Chromium started without a software renderer).
 */
export function supportsWebgl2(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('webgl2');
    if (!context) return false;
    context.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}
