//! The codelist bundle in the database: which bundle and list versions the stored data may use,
//! with every code and its labels, so that SQL users can label results without the program.

use model::Codelists;

use crate::error::Result;
use crate::tx::{Tx, Value};

/// Records a bundle version once (first sync time wins).
pub(crate) const BUNDLE_SQL: &str = "INSERT INTO codelist_bundle (id, version, synced_at) VALUES ($1, $2, $3) \
     ON CONFLICT (id, version) DO NOTHING";

/// Inserts or refreshes one list version.
pub(crate) const LIST_SQL: &str = "INSERT INTO codelist (id, version, title, agency) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (id, version) DO UPDATE SET title = excluded.title, agency = excluded.agency";

/// Inserts or refreshes one code of a list version.
pub(crate) const CODE_SQL: &str = "INSERT INTO code (list_id, list_version, code, label_en, label_pt) \
     VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (list_id, list_version, code) DO UPDATE SET label_en = excluded.label_en, label_pt = excluded.label_pt";

/// Every stored list version, sorted.
pub(crate) const VERSIONS_SQL: &str = "SELECT id, version FROM codelist";

/// Writes the bundle, its lists and their codes; running it again changes nothing.
///
/// A bundle version is immutable and is written in one transaction, so a bundle version that
/// is already stored is stored completely and is not written again.
pub(crate) fn sync(tx: &mut Tx<'_>, lists: &Codelists) -> Result<()> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let added = tx.execute(
        BUNDLE_SQL,
        &[Value::Text(lists.bundle()), Value::Text(lists.version()), Value::Text(&now)],
    )?;
    if added == 0 {
        tracing::debug!("codelist bundle version already stored");
        return Ok(());
    }
    tx.execute_each(
        LIST_SQL,
        lists.lists().map(|l| {
            vec![Value::Text(&l.id), Value::Text(&l.version), Value::Text(&l.title), Value::Text(&l.agency)]
        }),
    )?;
    tx.execute_each(
        CODE_SQL,
        lists.lists().flat_map(|l| {
            l.entries().iter().map(move |e| {
                vec![
                    Value::Text(&l.id),
                    Value::Text(&l.version),
                    Value::Text(&e.code),
                    Value::Text(&e.label_en),
                    Value::OptText(e.label_pt.as_deref()),
                ]
            })
        }),
    )?;
    Ok(())
}

/// (list id, version) of every stored list, sorted.
pub(crate) fn versions(tx: &mut Tx<'_>) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = tx
        .rows(VERSIONS_SQL, &[])?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter();
            (it.next().unwrap_or_default(), it.next().unwrap_or_default())
        })
        .collect();
    out.sort();
    Ok(out)
}
