//! The access tokens in SQLite: one table, one connection behind a lock, every write in one statement
//! or one transaction so no request leaves a half-written record.

use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDateTime;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use wifi_desk_wire::{AccessToken, WallClock};

use crate::query::{stored, ListQuery};

/// The writable fields of a record, as validated from a request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// Owning business.
    pub business_id: i64,
    /// The code.
    pub access_code: String,
    /// Free text.
    pub description: Option<String>,
    /// Minutes included.
    pub minutes_included: i64,
    /// Minutes left.
    pub minutes_left: i64,
    /// Start of validity.
    pub valid_from: Option<NaiveDateTime>,
    /// End of validity.
    pub valid_to: Option<NaiveDateTime>,
    /// Devices at once.
    pub user_limit: Option<i64>,
    /// Device MAC address.
    pub mac_address: Option<String>,
    /// Booking link.
    pub booking_guid: Option<String>,
    /// Visitor link.
    pub visitor_guid: Option<String>,
    /// External id.
    pub system_id: Option<String>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS access_tokens (
    Id              INTEGER PRIMARY KEY AUTOINCREMENT,
    UniqueId        TEXT NOT NULL,
    BusinessId      INTEGER NOT NULL,
    AccessCode      TEXT NOT NULL,
    Description     TEXT,
    MinutesIncluded INTEGER NOT NULL,
    MinutesLeft     INTEGER NOT NULL,
    ValidFrom       TEXT,
    ValidTo         TEXT,
    UserLimit       INTEGER,
    MacAddress      TEXT,
    BookingGuid     TEXT,
    VisitorGuid     TEXT,
    LastAccess      TEXT,
    SystemId        TEXT,
    CreatedOn       TEXT NOT NULL,
    UpdatedOn       TEXT NOT NULL,
    UpdatedBy       TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS access_code_per_business
    ON access_tokens (BusinessId, AccessCode COLLATE NOCASE);
";

const COLUMNS: &str =
    "Id, UniqueId, BusinessId, AccessCode, Description, MinutesIncluded, MinutesLeft, \
     ValidFrom, ValidTo, UserLimit, MacAddress, BookingGuid, VisitorGuid, LastAccess, SystemId, \
     CreatedOn, UpdatedOn, UpdatedBy";

/// The database.
pub struct Store {
    db: Mutex<Connection>,
}

fn wall(text: Option<String>) -> Option<WallClock> {
    text.and_then(|t| WallClock::parse(&t).ok())
        .map(|w| WallClock::new(w.local()))
}

fn record(row: &Row<'_>) -> rusqlite::Result<AccessToken> {
    let access_code: String = row.get("AccessCode")?;
    let created_on: Option<String> = row.get("CreatedOn")?;
    Ok(AccessToken {
        id: row.get("Id")?,
        unique_id: row.get("UniqueId")?,
        business_id: row.get("BusinessId")?,
        older_business_id: None,
        description: row.get("Description")?,
        minutes_included: row.get("MinutesIncluded")?,
        minutes_left: row.get("MinutesLeft")?,
        valid_from: wall(row.get("ValidFrom")?),
        valid_to: wall(row.get("ValidTo")?),
        user_limit: row.get("UserLimit")?,
        mac_address: row.get("MacAddress")?,
        booking_guid: row.get("BookingGuid")?,
        visitor_guid: row.get("VisitorGuid")?,
        last_access: wall(row.get("LastAccess")?),
        system_id: row.get("SystemId")?,
        updated_on: wall(row.get("UpdatedOn")?),
        updated_by: row.get("UpdatedBy")?,
        is_new: false,
        to_string_text: Some(access_code.clone()),
        created_on: wall(created_on),
        access_code,
        localization_details: None,
        custom_fields: None,
    })
}

/// The business's wall clock now.
pub fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

impl Store {
    /// Opens (and creates) the database at `path`, or an in-memory one for `:memory:`.
    pub fn open(path: &str) -> rusqlite::Result<Self> {
        let db = if path == ":memory:" {
            Connection::open_in_memory()?
        } else {
            Connection::open(path)?
        };
        db.execute_batch(SCHEMA)?;
        Ok(Self { db: Mutex::new(db) })
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a statement half-done, so the data is sound.
        crate::lock(&self.db)
    }

    /// How many records there are.
    pub fn count(&self) -> rusqlite::Result<i64> {
        self.db()
            .query_row("SELECT COUNT(*) FROM access_tokens", [], |r| r.get(0))
    }

    /// One page of the records matching `q`, and how many match in all.
    pub fn list(&self, q: &ListQuery) -> rusqlite::Result<(Vec<AccessToken>, i64)> {
        let db = self.db();
        let filter = q.where_clause();
        let total = db.query_row(
            &format!("SELECT COUNT(*) FROM access_tokens WHERE {filter}"),
            params_from_iter(q.values.iter()),
            |r| r.get(0),
        )?;
        // Ties are broken by Id so that paging never shows a record twice or skips one. Text is
        // ordered ignoring case, as it is compared (a collation leaves numbers as they are).
        let sql = format!(
            "SELECT {COLUMNS} FROM access_tokens WHERE {filter} ORDER BY {order} COLLATE NOCASE {dir} NULLS {nulls}, Id {dir} LIMIT ? OFFSET ?",
            order = q.order,
            dir = if q.dir == wifi_desk_wire::SortDirection::Descending { "DESC" } else { "ASC" },
            nulls = if q.dir == wifi_desk_wire::SortDirection::Descending { "LAST" } else { "FIRST" },
        );
        let mut values = q.values.clone();
        values.push(Value::Integer(q.size));
        values.push(Value::Integer((q.page - 1).saturating_mul(q.size)));
        let mut statement = db.prepare(&sql)?;
        let records = statement
            .query_map(params_from_iter(values.iter()), record)?
            .collect::<rusqlite::Result<_>>()?;
        Ok((records, total))
    }

    /// The records with these ids that exist, by id.
    pub fn batch(&self, ids: &[i64]) -> rusqlite::Result<Vec<AccessToken>> {
        let db = self.db();
        let marks = vec!["?"; ids.len()].join(",");
        let mut statement = db.prepare(&format!(
            "SELECT {COLUMNS} FROM access_tokens WHERE Id IN ({marks}) ORDER BY Id"
        ))?;
        let records = statement
            .query_map(params_from_iter(ids.iter()), record)?
            .collect();
        records
    }

    /// One record.
    pub fn get(&self, id: i64) -> rusqlite::Result<Option<AccessToken>> {
        self.db()
            .query_row(
                &format!("SELECT {COLUMNS} FROM access_tokens WHERE Id = ?"),
                [id],
                record,
            )
            .optional()
    }

    /// Whether another record of the business already has this code.
    pub fn code_taken(&self, business_id: i64, code: &str, except: i64) -> rusqlite::Result<bool> {
        self.db().query_row(
            "SELECT EXISTS(SELECT 1 FROM access_tokens WHERE BusinessId = ? AND AccessCode = ? COLLATE NOCASE AND Id <> ?)",
            params![business_id, code.trim(), except],
            |r| r.get(0),
        )
    }

    /// Creates a record; `None` when its code was taken in the meantime.
    pub fn insert(&self, d: &Draft, by: &str) -> rusqlite::Result<Option<i64>> {
        let now = stored(now());
        let db = self.db();
        let inserted = db.execute(
            &format!("INSERT INTO access_tokens ({COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)"),
            params![
                uuid::Uuid::new_v4().to_string(),
                d.business_id,
                d.access_code.trim(),
                d.description,
                d.minutes_included,
                d.minutes_left,
                d.valid_from.map(stored),
                d.valid_to.map(stored),
                d.user_limit,
                d.mac_address,
                d.booking_guid,
                d.visitor_guid,
                d.system_id,
                now,
                now,
                by,
            ],
        );
        match inserted {
            Ok(_) => Ok(Some(db.last_insert_rowid())),
            Err(e) if is_unique_violation(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replaces the writable fields of a record; `Ok(false)` when its code was taken meanwhile.
    pub fn update(&self, id: i64, d: &Draft, by: &str) -> rusqlite::Result<bool> {
        let updated = self.db().execute(
            "UPDATE access_tokens SET BusinessId = ?, AccessCode = ?, Description = ?, MinutesIncluded = ?, \
             MinutesLeft = ?, ValidFrom = ?, ValidTo = ?, UserLimit = ?, MacAddress = ?, BookingGuid = ?, \
             VisitorGuid = ?, SystemId = ?, UpdatedOn = ?, UpdatedBy = ? WHERE Id = ?",
            params![
                d.business_id,
                d.access_code.trim(),
                d.description,
                d.minutes_included,
                d.minutes_left,
                d.valid_from.map(stored),
                d.valid_to.map(stored),
                d.user_limit,
                d.mac_address,
                d.booking_guid,
                d.visitor_guid,
                d.system_id,
                stored(now()),
                by,
                id,
            ],
        );
        match updated {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Deletes a record; whether it existed.
    pub fn delete(&self, id: i64) -> rusqlite::Result<bool> {
        Ok(self
            .db()
            .execute("DELETE FROM access_tokens WHERE Id = ?", [id])?
            == 1)
    }

    /// Applies `change` to each record in one transaction: all of them change, or none.
    pub fn change_each(
        &self,
        ids: &[i64],
        by: &str,
        change: impl Fn(&mut AccessToken),
    ) -> rusqlite::Result<()> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let now = stored(now());
        for id in ids {
            let mut token = tx.query_row(
                &format!("SELECT {COLUMNS} FROM access_tokens WHERE Id = ?"),
                [id],
                record,
            )?;
            change(&mut token);
            let at = |w: Option<WallClock>| w.map(|w| stored(w.local()));
            tx.execute(
                "UPDATE access_tokens SET MinutesIncluded = ?, MinutesLeft = ?, ValidFrom = ?, ValidTo = ?, \
                 MacAddress = ?, LastAccess = ?, UpdatedOn = ?, UpdatedBy = ? WHERE Id = ?",
                params![
                    token.minutes_included,
                    token.minutes_left,
                    at(token.valid_from),
                    at(token.valid_to),
                    token.mac_address,
                    at(token.last_access),
                    now,
                    by,
                    id,
                ],
            )?;
        }
        tx.commit()
    }

    /// Sets the usage fields a captive portal would, for demo data.
    pub fn record_use(
        &self,
        id: i64,
        last_access: NaiveDateTime,
        mac: &str,
    ) -> rusqlite::Result<()> {
        self.db().execute(
            "UPDATE access_tokens SET LastAccess = ?, MacAddress = ? WHERE Id = ?",
            params![stored(last_access), mac, id],
        )?;
        Ok(())
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation
    )
}
