//! "Nice" axis ticks: steps of 1, 2 or 5 × 10^n covering a range.
//!
//! [`nice_ticks`] picks the smallest nice step giving at most `target` intervals, or the next
//! finer one when it covers the data more tightly with at most `target + 2` intervals, then
//! widens the range outwards to whole multiples of the step. Tick values are rounded to the
//! decimals of the step, so `0.1 + 0.2` never shows up as `0.30000000000000004`.

/// Ticks of an axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// First tick (a multiple of `step`, at most the data minimum).
    pub min: f64,
    /// Last tick (a multiple of `step`, at least the data maximum).
    pub max: f64,
    /// Distance between ticks: 1, 2 or 5 × 10^n.
    pub step: f64,
    /// Tick values from `min` to `max` inclusive.
    pub values: Vec<f64>,
}

impl Ticks {
    /// Decimals needed to write every tick exactly: 0 for steps of 1 or more, 1 for 0.5, 0.2 or
    /// 0.1, 2 for 0.05, and so on.
    pub fn decimals(&self) -> usize {
        step_decimals(self.step)
    }
}

fn step_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) || step >= 1.0 {
        return 0;
    }
    // Between 1 and 15 decimals, so the cast is lossless.
    (-(step.log10() + 1e-9).floor()).clamp(0.0, 15.0) as usize
}

/// The smallest of 1, 2, 5 × 10^n that is at least `raw` (1 for non-positive or non-finite input).
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let exp = raw.log10().floor();
    let base = 10f64.powf(exp);
    let fraction = raw / base;
    let m = if fraction <= 1.0 + 1e-9 {
        1.0
    } else if fraction <= 2.0 + 1e-9 {
        2.0
    } else if fraction <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    round_to(m * base, step_decimals(m * base) + 1)
}

/// Ticks covering `[lo, hi]` with about `target` intervals (at least 1, at most `target + 2`).
///
/// With `integer`, the step is at least 1 (for counts). An empty range (`lo == hi`) is widened
/// to one step above `lo`; non-finite bounds are read as 0 and 1. Bars pass a range that
/// includes zero, so their axis starts at zero.
pub fn nice_ticks(lo: f64, hi: f64, target: usize, integer: bool) -> Ticks {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        hi = lo + if lo == 0.0 || integer { 1.0 } else { lo.abs() * 0.1 };
    }
    let target = target.max(1);
    let mut step = nice_step((hi - lo) / target as f64);
    if integer {
        step = step.max(1.0);
    }
    // The next smaller nice step often fits the data more tightly (0–1,200 rather than 0–1,500):
    // take it when it needs at most two intervals more than the target.
    let finer = finer_step(step);
    let (coarse, fine) = (cover(lo, hi, step), cover(lo, hi, finer));
    let use_fine = !(integer && finer < 1.0)
        && fine.2 <= target + 2
        && (fine.1 - fine.0) * finer < (coarse.1 - coarse.0) * step;
    let (step, (first, _, count)) = if use_fine { (finer, fine) } else { (step, coarse) };
    let decimals = step_decimals(step);
    let values: Vec<f64> = (0..=count).map(|i| round_to((first + i as f64) * step, decimals)).collect();
    Ticks { min: values[0], max: values[count], step, values }
}

/// The nice step below `step` (5 → 2, 2 → 1, 1 → 0.5).
fn finer_step(step: f64) -> f64 {
    let exp = step.log10().floor();
    let base = 10f64.powf(exp);
    let m = (step / base).round();
    let finer = if m >= 5.0 {
        2.0 * base
    } else if m >= 2.0 {
        base
    } else {
        base / 2.0
    };
    round_to(finer, step_decimals(finer) + 1)
}

/// First multiple (in steps), last multiple (in steps) and interval count covering `[lo, hi]`.
fn cover(lo: f64, hi: f64, step: f64) -> (f64, f64, usize) {
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    // `last - first` is a small whole number (about the target), so the cast is exact.
    (first, last, (last - first).max(1.0).round() as usize)
}

/// `x` rounded to `decimals` places, without negative zero.
fn round_to(x: f64, decimals: usize) -> f64 {
    let factor = 10f64.powi(i32::try_from(decimals.min(15)).unwrap_or(15));
    let r = (x * factor).round() / factor;
    if r == 0.0 { 0.0 } else { r }
}
