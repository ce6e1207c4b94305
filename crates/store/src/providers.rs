//! The provider register (`data_provider`).

use chrono::NaiveDate;
use model::code::{Country, Nuts};
use model::codes::ProviderType;
use model::{Code, Codelists, DataProvider, ModelCode, ProviderId};

use crate::Backend;
use crate::dialect::{self, ColumnKind};
use crate::error::{Error, Result};
use crate::records::safe_ref;
use crate::tx::{Tx, Value};

/// Inserts a provider or replaces every attribute of the stored one.
pub(crate) const UPSERT_SQL: &str = "INSERT INTO data_provider \
     (id, name, provider_type, country, nuts, can_formally_identify, submits, valid_from, valid_to) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, provider_type = excluded.provider_type, \
     country = excluded.country, nuts = excluded.nuts, can_formally_identify = excluded.can_formally_identify, \
     submits = excluded.submits, valid_from = excluded.valid_from, valid_to = excluded.valid_to";

/// Replaces every attribute of a stored provider (never inserts).
pub(crate) const UPDATE_SQL: &str = "UPDATE data_provider SET name = $1, provider_type = $2, country = $3, \
     nuts = $4, can_formally_identify = $5, submits = $6, valid_from = $7, valid_to = $8 WHERE id = $9";

/// Updates a registered provider; `false` when no provider has its id.
pub(crate) fn update(tx: &mut Tx<'_>, p: &DataProvider) -> Result<bool> {
    let submits = p.submits.iter().map(|t| t.code()).collect::<Vec<_>>().join("|");
    let nuts = p.nuts.map(|n| n.to_string());
    let n = tx.execute(
        UPDATE_SQL,
        &[
            Value::Text(&p.name),
            Value::Text(p.provider_type.code()),
            Value::Text(p.country.as_str()),
            Value::OptText(nuts.as_deref()),
            Value::Bool(p.can_formally_identify),
            Value::Text(&submits),
            Value::Date(p.valid_from),
            Value::OptDate(p.valid_to),
            Value::Text(p.id.as_str()),
        ],
    )?;
    Ok(n > 0)
}

/// Inserts or updates one provider.
pub(crate) fn upsert(tx: &mut Tx<'_>, p: &DataProvider) -> Result<()> {
    let submits = p.submits.iter().map(|t| t.code()).collect::<Vec<_>>().join("|");
    let nuts = p.nuts.map(|n| n.to_string());
    tx.execute(
        UPSERT_SQL,
        &[
            Value::Text(p.id.as_str()),
            Value::Text(&p.name),
            Value::Text(p.provider_type.code()),
            Value::Text(p.country.as_str()),
            Value::OptText(nuts.as_deref()),
            Value::Bool(p.can_formally_identify),
            Value::Text(&submits),
            Value::Date(p.valid_from),
            Value::OptDate(p.valid_to),
        ],
    )?;
    Ok(())
}

fn select_sql(backend: Backend) -> String {
    let date = |c| dialect::text_expr(backend, ColumnKind::Date, c);
    format!(
        "SELECT id, name, provider_type, country, nuts, {}, submits, {}, {} FROM data_provider",
        dialect::text_expr(backend, ColumnKind::Boolean, "can_formally_identify"),
        date("valid_from"),
        date("valid_to"),
    )
}

/// Every provider, sorted by id.
pub(crate) fn all(tx: &mut Tx<'_>, lists: &Codelists) -> Result<Vec<DataProvider>> {
    let sql = select_sql(tx.backend());
    let mut out = Vec::new();
    tx.for_each_row(&sql, &[], |row| {
        let provider = parse(row, lists)
            .ok_or_else(|| Error::Corrupt { table: "data_provider", record_ref: safe_ref(row[0]) })?;
        out.push(provider);
        Ok(())
    })?;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

fn parse(row: &[&str], lists: &Codelists) -> Option<DataProvider> {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let submits = match row[6] {
        "" => Default::default(),
        text => text.split('|').map(ModelCode::from_code).collect::<Option<_>>()?,
    };
    Some(DataProvider {
        id: ProviderId::new(row[0])?,
        name: row[1].to_owned(),
        provider_type: ProviderType::from_code(row[2])?,
        country: Code::<Country>::parse(row[3], lists)?,
        nuts: match row[4] {
            "" => None,
            text => Some(Code::<Nuts>::parse(text, lists)?),
        },
        can_formally_identify: match row[5] {
            "true" => true,
            "false" => false,
            _ => return None,
        },
        submits,
        valid_from: date(row[7])?,
        valid_to: match row[8] {
            "" => None,
            text => Some(date(text)?),
        },
    })
}
