/** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? y : 2 - y;
  return 0.5 * erfc;
}

export interface Moments {
  n: number;
  meanX: number;
  meanY: number;
  varX: number;
  varY: number;
  covXY: number;
}

export function moments(xs: ArrayLike<number>, ys: ArrayLike<number>): Moments {
  const n = xs.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let vx = 0,
    vy = 0,
    cxy = 0;
  for (let i = 0; i < n; i++) {
    vx += (xs[i] - mx) ** 2;
    vy += (ys[i] - my) ** 2;
    cxy += (xs[i] - mx) * (ys[i] - my);
  }
  return { n, meanX: mx, meanY: my, varX: vx / n, varY: vy / n, covXY: cxy / n };
}
