//! Typed codes: [`Code<L>`] is a short ASCII code that is known to belong to codelist `L`.
//!
//! A `Code<L>` can only be made by looking the text up in a loaded [`Codelists`] bundle
//! (or, for tests and generators, by [`Code::from_list`]), so holding one is proof that the
//! value was valid for the bundle it came from. Codes are `Copy`, ordered and 40 bytes wide,
//! which keeps records free of heap strings for their coded fields.

use std::fmt;
use std::marker::PhantomData;

use crate::codelists::Codelists;

/// Longest code accepted in any codelist (bytes). Checked by the codelist integrity test.
pub const MAX_CODE_LEN: usize = 39;

/// A marker type naming one codelist of the bundle.
pub trait ListKind: Copy + Ord + fmt::Debug + Send + Sync + 'static {
    /// The codelist id, as in `data/codelists/manifest.toml`.
    const ID: &'static str;
}

macro_rules! list_kinds {
    ($($(#[$m:meta])* $name:ident = $id:literal;)*) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub enum $name {}
        impl ListKind for $name {
            const ID: &'static str = $id;
        }
    )*};
}

list_kinds! {
    /// Eurostat GEO level-0 codes (countries).
    Country = "country";
    /// NUTS regions, levels 1 to 3.
    Nuts = "nuts";
    /// Portuguese districts and autonomous regions (ISO 3166-2:PT).
    PtDistrict = "pt_district";
    /// ISIC/NACE sections.
    LabourSector = "labour_sector";
    /// HTCDS types of sexual exploitation.
    SexualExploitationType = "sexual_exploitation_type";
    /// HTCDS means of control.
    MeansOfControl = "means_of_control";
    /// HTCDS methods of recruitment.
    RecruitmentMethod = "recruitment_method";
    /// CTDC relation to the recruiter.
    RecruiterRelation = "recruiter_relation";
    /// CTDC duration of trafficking.
    TraffickingDuration = "trafficking_duration_ctdc";
    /// HTCDS types of support.
    SupportType = "support_type_htcds";
    /// HTCDS roles of a trafficker in the process.
    TraffickerRole = "trafficker_role";
    /// HTCDS self-identified gender.
    GenderHtcds = "gender_htcds";
}

/// A code of codelist `L`, validated on construction.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code<L: ListKind> {
    len: u8,
    bytes: [u8; MAX_CODE_LEN],
    list: PhantomData<L>,
}

impl<L: ListKind> Code<L> {
    /// Looks `text` up in the bundle's list `L`; `None` if it is not a code of that list.
    pub fn parse(text: &str, lists: &Codelists) -> Option<Self> {
        let list = lists.get(L::ID)?;
        if list.contains(text) { Self::from_raw(text) } else { None }
    }

    /// Makes a code from a string already known to be in list `L` of a loaded bundle
    /// (used by the bundle itself when it hands out its codes).
    pub(crate) fn from_raw(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.is_empty() || b.len() > MAX_CODE_LEN || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; MAX_CODE_LEN];
        bytes[..b.len()].copy_from_slice(b);
        Some(Code { len: b.len() as u8, bytes, list: PhantomData })
    }

    /// Every code of list `L` in the bundle, in file order.
    pub fn from_list(lists: &Codelists) -> Vec<Self> {
        lists
            .get(L::ID)
            .map(|l| l.entries().iter().filter_map(|e| Self::from_raw(&e.code)).collect())
            .unwrap_or_default()
    }

    /// The code text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored (checked in `from_raw`), so this cannot fail.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

impl<L: ListKind> fmt::Debug for Code<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", L::ID, self.as_str())
    }
}

impl<L: ListKind> fmt::Display for Code<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The model's own small codelists are Rust enums; this trait ties each to its codelist file.
///
/// The codelist integrity test checks that the variants and the file hold exactly the same codes.
pub trait ModelCode: Copy + Ord + fmt::Debug + Sized + 'static {
    /// The codelist id, as in `data/codelists/manifest.toml`.
    const LIST: &'static str;
    /// Every variant, in codelist order.
    const ALL: &'static [Self];
    /// The code text.
    fn code(self) -> &'static str;
    /// The variant for a code text (exact match).
    fn from_code(text: &str) -> Option<Self>;
}

/// Declares a model codelist enum with its codes.
macro_rules! model_codes {
    ($(#[$m:meta])* $name:ident = $list:literal { $($(#[$vm:meta])* $var:ident = $code:literal,)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub enum $name { $($(#[$vm])* $var,)* }
        impl $crate::code::ModelCode for $name {
            const LIST: &'static str = $list;
            const ALL: &'static [Self] = &[$($name::$var,)*];
            fn code(self) -> &'static str {
                match self { $($name::$var => $code,)* }
            }
            fn from_code(text: &str) -> Option<Self> {
                match text { $($code => Some($name::$var),)* _ => None }
            }
        }
        impl $crate::text::Canon for $name {
            fn canon(&self, out: &mut String) {
                out.push_str($crate::code::ModelCode::code(*self));
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::code::ModelCode::code(*self))
            }
        }
    };
}
pub(crate) use model_codes;
