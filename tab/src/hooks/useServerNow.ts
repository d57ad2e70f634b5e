/** The server's "now" (this browser's clock corrected by the measured skew), ticking on each whole second. */
import { useEffect, useState } from 'react';

export function useServerNow(skewMs: number): number {
  const [now, setNow] = useState(() => Date.now() + skewMs);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = (): void => {
      const serverNow = Date.now() + skewMs;
      setNow(serverNow);
      timer = setTimeout(tick, 1000 - (serverNow % 1000));
    };
    tick();
    return () => clearTimeout(timer);
  }, [skewMs]);
  return now;
}
