// fili 2.0.3 ships no types; this declares only the part we use (Butterworth cascade design).
declare module 'fili' {
  export interface FiliBiquad {
    /** [a1, a2], normalised by a0. */
    a: number[];
    /** [b0, b1, b2], normalised by a0. */
    b: number[];
    /** Extra gain (1 unless preGain). */
    k: number;
  }
  export interface FiliCascadeParams {
    /** Number of second-order sections (not the filter order). */
    order: number;
    characteristic: 'butterworth' | 'bessel';
    Fs: number;
    Fc: number;
    preGain?: boolean;
  }
  export interface FiliCalcCascades {
    lowpass(params: FiliCascadeParams): FiliBiquad[];
    highpass(params: FiliCascadeParams): FiliBiquad[];
  }
  const fili: { CalcCascades: new () => FiliCalcCascades };
  export default fili;
}
