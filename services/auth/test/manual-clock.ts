/** A clock the test moves by hand, for code that takes `now: () => Date`. */
export function manualClock(start = Date.now() + 1000) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}
