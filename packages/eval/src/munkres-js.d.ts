declare module 'munkres-js' {
  /** Minimum-cost assignment on a (possibly rectangular) cost matrix; returns the [row, column] pairs. */
  function munkres(costMatrix: number[][], options?: { padValue?: number }): [number, number][];
  export default munkres;
}
