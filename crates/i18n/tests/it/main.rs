//! Integration tests of the i18n crate: the message files of `data/i18n` (same keys and
//! placeholders as English, no empty text, plural forms of each language), the parser's errors,
//! lookup with fallbacks, plural rules, `Accept-Language` negotiation and number and date formats.

mod catalog;
mod files;
mod format;
mod negotiate;
mod parse;
mod plural;
