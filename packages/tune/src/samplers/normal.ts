// Standard-normal helpers for the truncated Gaussians of TPE, in log space so far tails do not
// underflow (Parzen bandwidths can be 1/100 of the range, i.e. |z| up to ~100).

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(erfc(x)) for x ≥ 0 (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7; no underflow). */
function logErfcNonNegative(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
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
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) + poly;
}

/** log Φ(z) where Φ is the standard normal CDF. */
export function logNormalCdf(z: number): number {
  // Φ(z) = erfc(-z/√2)/2
  const x = -z / SQRT2;
  if (x >= 0) return logErfcNonNegative(x) - Math.LN2;
  return Math.log1p(-0.5 * Math.exp(logErfcNonNegative(-x)));
}

export function normalCdf(z: number): number {
  return Math.exp(logNormalCdf(z));
}

function logDiffExp(a: number, b: number): number {
  // log(e^a - e^b) for a ≥ b
  if (b === -Infinity) return a;
  if (a <= b) return -Infinity;
  return a + Math.log1p(-Math.exp(b - a));
}

/** log(Φ(b) − Φ(a)) for a ≤ b, accurate in both tails. */
export function logGaussMass(a: number, b: number): number {
  if (a >= b) return -Infinity;
  if (a > 0) return logDiffExp(logNormalCdf(-a), logNormalCdf(-b)); // upper tail by symmetry
  if (b < 0) return logDiffExp(logNormalCdf(b), logNormalCdf(a));
  // a ≤ 0 ≤ b: 1 − Φ(a) − (1 − Φ(b)) computed as 1 − tails
  const left = normalCdf(a);
  const right = normalCdf(-b);
  return Math.log(Math.max(1 - left - right, 0));
}

/** Standard normal log density. */
export function logNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error 1.2e-9). */
export function normalPpf(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - plow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** A draw from N(0,1) truncated to [a, b] (a ≤ 0 ≤ b in TPE, so inverse-CDF sampling is stable). */
export function truncatedNormalDraw(a: number, b: number, u: number): number {
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  const z = normalPpf(pa + u * (pb - pa));
  return Math.min(b, Math.max(a, z));
}
