export function plan2D(aShape, bShape, outShape) {
    const rank = outShape.length;
    const pad = (s) => [...Array(rank - s.length).fill(1), ...s];
    const [pa, pb] = [pad(aShape), pad(bShape)];
    const runs = [];
    for (let k = 0; k < rank; k++) {
        const size = outShape[k];
        if (size === 1)
            continue;
        const aFull = pa[k] === size;
        const bFull = pb[k] === size;
        const last = runs.at(-1);
        if (last && last.aFull === aFull && last.bFull === bFull)
            last.size *= size;
        else
            runs.push({ size, aFull, bFull });
    }
    if (runs.length > 2)
        return undefined;
    while (runs.length < 2)
        runs.unshift({ size: 1, aFull: true, bFull: true });
    const [o, i] = runs;
    const strides = (outerFull, innerFull) => [outerFull ? (innerFull ? i.size : 1) : 0, innerFull ? 1 : 0];
    return { outer: o.size, inner: i.size, a: strides(o.aFull, i.aFull), b: strides(o.bFull, i.bFull) };
}
//# sourceMappingURL=broadcast.js.map