//! Reference periods: calendar quarters (`2025-Q1`) and years.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A calendar quarter, the period of a submission.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Period {
    year: u16,
    quarter: u8,
}

/// Text that is not a `YYYY-Qn` period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a period must be written YYYY-Qn with n from 1 to 4 and a year from 1900 to 2999")]
pub struct PeriodError;

impl Period {
    /// A quarter; `None` if `quarter` is not 1–4 or the year is outside 1900–2999.
    pub fn new(year: u16, quarter: u8) -> Option<Period> {
        ((1..=4).contains(&quarter) && (1900..=2999).contains(&year)).then_some(Period { year, quarter })
    }

    /// The quarter that contains `date`.
    pub fn of_date(date: NaiveDate) -> Period {
        Period { year: date.year().clamp(0, u16::MAX as i32) as u16, quarter: (date.month0() / 3 + 1) as u8 }
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The quarter, 1–4.
    pub fn quarter(self) -> u8 {
        self.quarter
    }

    /// First day of the quarter.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year.into(), u32::from(self.quarter) * 3 - 2, 1).unwrap_or_default()
    }

    /// Last day of the quarter.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    /// The following quarter.
    pub fn next(self) -> Period {
        if self.quarter == 4 {
            Period { year: self.year + 1, quarter: 1 }
        } else {
            Period { year: self.year, quarter: self.quarter + 1 }
        }
    }

    /// Whether `date` falls in the quarter.
    pub fn contains(self, date: NaiveDate) -> bool {
        Period::of_date(date) == self
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 7 || &b[4..6] != b"-Q" || !b[..4].iter().all(u8::is_ascii_digit) {
            return Err(PeriodError);
        }
        let year: u16 = s[..4].parse().map_err(|_| PeriodError)?;
        let quarter = b[6].wrapping_sub(b'0');
        Period::new(year, quarter).ok_or(PeriodError)
    }
}
