//! SQLite persistence: identities, tokens, carts, checkouts and orders survive restarts.
//!
//! One connection behind a mutex: every mutation runs in its own transaction while holding it,
//! so concurrent requests are serialised and never lose an update. The work runs outside the
//! async runtime's way ([`off_the_runtime`]): a slow disk or a busy lock never stalls the other
//! requests of a worker thread.

use std::{
    path::Path,
    sync::{Mutex, MutexGuard},
};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

/// Versioned migrations; index + 1 is the schema version they bring the database to.
const MIGRATIONS: &[&str] = &[
    // 1: identities and tokens
    "CREATE TABLE identities (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        member_email TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE refresh_tokens (
        token TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        created_at INTEGER NOT NULL
    );
    CREATE TABLE access_tokens (
        token TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX access_tokens_expiry ON access_tokens(expires_at);",
    // 2: carts, checkouts and orders
    "CREATE TABLE carts (
        id TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        is_current INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        lines TEXT NOT NULL,
        coupon TEXT,
        order_id TEXT
    );
    CREATE UNIQUE INDEX carts_one_current ON carts(identity_id) WHERE is_current = 1;
    CREATE TABLE checkouts (
        id TEXT PRIMARY KEY,
        cart_id TEXT NOT NULL,
        identity_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        order_id TEXT
    );
    CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL,
        checkout_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        snapshot TEXT NOT NULL
    );",
    // 3: redirect sessions and PKCE authorization codes for the hosted pages
    "CREATE TABLE redirect_sessions (
        id TEXT PRIMARY KEY,
        intent TEXT NOT NULL,
        identity_id TEXT,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE auth_codes (
        code TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        client_id TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        redirect_uri TEXT,
        expires_at INTEGER NOT NULL,
        used INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX member_emails ON identities(member_email) WHERE member_email IS NOT NULL;",
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("stored cart is not valid JSON: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("database schema version {found} is newer than this emulator ({known})")]
    FutureSchema { found: usize, known: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    Visitor,
    Member,
}

impl IdentityKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Visitor => "visitor",
            Self::Member => "member",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "member" {
            Self::Member
        } else {
            Self::Visitor
        }
    }
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub id: String,
    pub kind: IdentityKind,
}

/// A cart line as stored: prices and names are joined from the catalog when the cart is shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StoredLine {
    pub id: String,
    pub product_id: String,
    pub variant_id: Option<String>,
    pub quantity: u32,
}

#[derive(Debug, Clone)]
pub struct CartRow {
    pub id: String,
    pub identity: Identity,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    pub lines: Vec<StoredLine>,
    /// The one coupon code applied, if any.
    pub coupon: Option<String>,
    /// Set once the cart was ordered through the hosted checkout; it is then no longer current.
    pub order_id: Option<String>,
}

/// A redirect session: what the hosted page should do, and for whom.
#[derive(Debug, Clone)]
pub struct RedirectSession {
    pub id: String,
    pub intent: String,
    pub identity_id: Option<String>,
    pub payload: serde_json::Value,
}

/// An order placed through the hosted checkout, with the cart as it was then.
#[derive(Debug, Clone)]
pub struct PlacedOrder {
    pub number: i64,
    pub id: String,
    pub placed_at: String,
    pub snapshot: serde_json::Value,
}

/// A PKCE authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub identity: Identity,
    pub client_id: String,
    pub code_challenge: String,
    pub redirect_uri: Option<String>,
    pub expires_at: i64,
}

pub struct Store {
    connection: Mutex<Connection>,
    /// Access tokens seen recently: every API call checks one, so they skip SQLite.
    token_cache: std::sync::RwLock<std::collections::HashMap<String, (Identity, i64)>>,
}

/// Cached access tokens before the cache starts over.
const MAX_CACHED_TOKENS: usize = 100_000;

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let mut connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut connection)?;
        Ok(Self {
            connection: Mutex::new(connection),
            token_cache: Default::default(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back), so a poisoned lock is safe to reuse.
        self.connection.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn create_identity(&self, kind: IdentityKind, now: i64) -> Result<Identity, StoreError> {
        off_the_runtime(|| {
            let id = uuid::Uuid::new_v4().to_string();
            self.lock().execute(
                "INSERT INTO identities (id, kind, created_at) VALUES (?1, ?2, ?3)",
                params![id, kind.as_str(), now],
            )?;
            Ok(Identity { id, kind })
        })
    }

    pub fn save_tokens(
        &self,
        identity: &Identity,
        access_token: &str,
        expires_at: i64,
        refresh_token: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        off_the_runtime(|| {
            let mut connection = self.lock();
            let tx = connection.transaction()?;
            tx.execute(
                "INSERT INTO access_tokens (token, identity_id, expires_at) VALUES (?1, ?2, ?3)",
                params![access_token, identity.id, expires_at],
            )?;
            if let Some(refresh) = refresh_token {
                tx.execute(
                    "INSERT INTO refresh_tokens (token, identity_id, created_at) VALUES (?1, ?2, ?3)",
                    params![refresh, identity.id, now],
                )?;
            }
            // Expired access tokens are useless; keep the table small.
            tx.execute(
                "DELETE FROM access_tokens WHERE expires_at < ?1",
                params![now - 86_400],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    pub fn identity_for_refresh_token(&self, token: &str) -> Result<Option<Identity>, StoreError> {
        off_the_runtime(|| {
            Ok(self
                .lock()
                .query_row(
                    "SELECT i.id, i.kind FROM refresh_tokens r JOIN identities i ON i.id = r.identity_id
                     WHERE r.token = ?1",
                    params![token],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                )
                .optional()?
                .map(|(id, kind)| Identity {
                    id,
                    kind: IdentityKind::parse(&kind),
                }))
        })
    }

    /// The identity and expiry of an access token.
    pub fn identity_for_access_token(
        &self,
        token: &str,
    ) -> Result<Option<(Identity, i64)>, StoreError> {
        // Every API call checks a token: a recent one is answered from memory.
        if let Some(hit) = self
            .token_cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(token)
        {
            return Ok(Some(hit.clone()));
        }
        off_the_runtime(|| {
            let found = self
                .lock()
                .query_row(
                    "SELECT i.id, i.kind, a.expires_at FROM access_tokens a
                     JOIN identities i ON i.id = a.identity_id WHERE a.token = ?1",
                    params![token],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, i64>(2)?,
                        ))
                    },
                )
                .optional()?
                .map(|(id, kind, expires_at)| {
                    (
                        Identity {
                            id,
                            kind: IdentityKind::parse(&kind),
                        },
                        expires_at,
                    )
                });
            if let Some(found) = &found {
                self.remember_token(token, found.clone());
            }
            Ok(found)
        })
    }

    fn remember_token(&self, token: &str, entry: (Identity, i64)) {
        let mut cache = self.token_cache.write().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= MAX_CACHED_TOKENS {
            cache.clear();
        }
        cache.insert(token.to_owned(), entry);
    }

    pub fn current_cart(&self, identity: &Identity) -> Result<Option<CartRow>, StoreError> {
        off_the_runtime(|| {
            let connection = self.lock();
            read_current_cart(&connection, identity)
        })
    }

    /// Runs `change` on the identity's current cart inside one transaction and saves it with
    /// the revision raised. `create` makes an empty cart first when there is none; otherwise a
    /// missing cart gives `Ok(None)`. When `change` fails nothing is written.
    pub fn update_cart<E>(
        &self,
        identity: &Identity,
        create: bool,
        now_iso: &str,
        change: impl FnOnce(&mut CartRow) -> Result<(), E>,
    ) -> Result<Option<CartRow>, E>
    where
        E: From<StoreError>,
    {
        off_the_runtime(|| {
            let mut connection = self.lock();
            let tx = connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            let existing = read_current_cart(&tx, identity)?;
            let (mut cart, is_new) = match existing {
                Some(cart) => (cart, false),
                None if create => (
                    CartRow {
                        id: uuid::Uuid::new_v4().to_string(),
                        identity: identity.clone(),
                        revision: 0,
                        created_at: now_iso.to_owned(),
                        updated_at: now_iso.to_owned(),
                        lines: Vec::new(),
                        coupon: None,
                        order_id: None,
                    },
                    true,
                ),
                None => return Ok(None),
            };
            let before = (cart.lines.clone(), cart.coupon.clone());
            change(&mut cart)?;
            if is_new || (cart.lines.clone(), cart.coupon.clone()) != before {
                cart.revision += 1;
                cart.updated_at = now_iso.to_owned();
            }
            let lines = serde_json::to_string(&cart.lines).map_err(StoreError::from)?;
            tx.execute(
                "INSERT INTO carts (id, identity_id, is_current, revision, created_at, updated_at, lines, coupon)
                 VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET revision = ?3, updated_at = ?5, lines = ?6, coupon = ?7",
                params![cart.id, identity.id, cart.revision, cart.created_at, cart.updated_at, lines, cart.coupon],
            )
            .map_err(StoreError::from)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(Some(cart))
        })
    }

    /// Deletes the current cart; `false` when there was none.
    pub fn delete_current_cart(&self, identity: &Identity) -> Result<bool, StoreError> {
        off_the_runtime(|| {
            let deleted = self.lock().execute(
                "DELETE FROM carts WHERE identity_id = ?1 AND is_current = 1",
                params![identity.id],
            )?;
            Ok(deleted > 0)
        })
    }

    pub fn create_checkout(&self, cart: &CartRow, now_iso: &str) -> Result<String, StoreError> {
        off_the_runtime(|| {
            let id = uuid::Uuid::new_v4().to_string();
            self.lock().execute(
                "INSERT INTO checkouts (id, cart_id, identity_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, cart.id, cart.identity.id, now_iso],
            )?;
            Ok(id)
        })
    }

    /// The cart behind a checkout id: a v1 checkout, or (Cart V2) the cart id itself.
    pub fn cart_for_checkout(&self, checkout_id: &str) -> Result<Option<CartRow>, StoreError> {
        off_the_runtime(|| {
            let connection = self.lock();
            let cart_id: String = connection
                .query_row(
                    "SELECT cart_id FROM checkouts WHERE id = ?1",
                    params![checkout_id],
                    |row| row.get(0),
                )
                .optional()?
                .unwrap_or_else(|| checkout_id.to_owned());
            read_cart(&connection, "c.id = ?1", &cart_id)
        })
    }

    /// Places the order for a cart exactly once: the cart stops being current (the next add
    /// starts a new one) and the order keeps a snapshot. A second call returns the first order.
    pub fn place_order(
        &self,
        cart_id: &str,
        snapshot: &serde_json::Value,
        now_iso: &str,
    ) -> Result<Option<(String, Identity)>, StoreError> {
        off_the_runtime(|| {
            let mut connection = self.lock();
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(cart) = read_cart(&tx, "c.id = ?1", cart_id)? else {
                return Ok(None);
            };
            if let Some(order_id) = cart.order_id {
                return Ok(Some((order_id, cart.identity)));
            }
            let order_id = uuid::Uuid::new_v4().to_string();
            tx.execute(
                "INSERT INTO orders (id, identity_id, checkout_id, created_at, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![order_id, cart.identity.id, cart.id, now_iso, snapshot.to_string()],
            )?;
            tx.execute(
                "UPDATE carts SET is_current = 0, order_id = ?2, updated_at = ?3, revision = revision + 1 WHERE id = ?1",
                params![cart.id, order_id, now_iso],
            )?;
            tx.commit()?;
            Ok(Some((order_id, cart.identity)))
        })
    }

    pub fn order_snapshot(&self, order_id: &str) -> Result<Option<serde_json::Value>, StoreError> {
        off_the_runtime(|| {
            let text: Option<String> = self
                .lock()
                .query_row(
                    "SELECT snapshot FROM orders WHERE id = ?1",
                    params![order_id],
                    |row| row.get(0),
                )
                .optional()?;
            Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
        })
    }

    pub fn save_redirect_session(
        &self,
        session: &RedirectSession,
        now: i64,
    ) -> Result<(), StoreError> {
        off_the_runtime(|| {
            self.lock().execute(
                "INSERT INTO redirect_sessions (id, intent, identity_id, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![session.id, session.intent, session.identity_id, session.payload.to_string(), now],
            )?;
            Ok(())
        })
    }

    pub fn redirect_session(&self, id: &str) -> Result<Option<RedirectSession>, StoreError> {
        off_the_runtime(|| {
            let row = self
                .lock()
                .query_row(
                    "SELECT id, intent, identity_id, payload FROM redirect_sessions WHERE id = ?1",
                    params![id],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, Option<String>>(2)?,
                            row.get::<_, String>(3)?,
                        ))
                    },
                )
                .optional()?;
            Ok(
                row.map(|(id, intent, identity_id, payload)| RedirectSession {
                    id,
                    intent,
                    identity_id,
                    payload: serde_json::from_str(&payload).unwrap_or_default(),
                }),
            )
        })
    }

    /// The member identity for an email, created on first sign-in.
    pub fn member(&self, email: &str, now: i64) -> Result<Identity, StoreError> {
        off_the_runtime(|| {
            let connection = self.lock();
            connection.execute(
                "INSERT INTO identities (id, kind, member_email, created_at) VALUES (?1, 'member', ?2, ?3)
                 ON CONFLICT(member_email) WHERE member_email IS NOT NULL DO NOTHING",
                params![uuid::Uuid::new_v4().to_string(), email, now],
            )?;
            let id: String = connection.query_row(
                "SELECT id FROM identities WHERE member_email = ?1",
                params![email],
                |row| row.get(0),
            )?;
            Ok(Identity {
                id,
                kind: IdentityKind::Member,
            })
        })
    }

    /// The email a member signed in with; `None` for a visitor.
    pub fn member_email(&self, identity_id: &str) -> Result<Option<String>, StoreError> {
        off_the_runtime(|| {
            Ok(self
                .lock()
                .query_row(
                    "SELECT member_email FROM identities WHERE id = ?1",
                    params![identity_id],
                    |row| row.get::<_, Option<String>>(0),
                )
                .optional()?
                .flatten())
        })
    }

    /// Signs an identity out everywhere: every access and refresh token it holds stops working.
    pub fn revoke_tokens(&self, identity_id: &str) -> Result<(), StoreError> {
        off_the_runtime(|| {
            let mut connection = self.lock();
            let tx = connection.transaction()?;
            tx.execute(
                "DELETE FROM access_tokens WHERE identity_id = ?1",
                params![identity_id],
            )?;
            tx.execute(
                "DELETE FROM refresh_tokens WHERE identity_id = ?1",
                params![identity_id],
            )?;
            tx.commit()?;
            self.token_cache
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|_, (identity, _)| identity.id != identity_id);
            Ok(())
        })
    }

    /// An identity's orders, newest first: (number, id, placed at, cart snapshot). The number
    /// counts orders placed in this emulator, from 10001.
    pub fn orders_of(&self, identity_id: &str) -> Result<Vec<PlacedOrder>, StoreError> {
        off_the_runtime(|| {
            let connection = self.lock();
            let mut statement = connection.prepare(
                "SELECT rowid, id, created_at, snapshot FROM orders WHERE identity_id = ?1
                 ORDER BY created_at DESC, rowid DESC",
            )?;
            let rows = statement.query_map(params![identity_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })?;
            let mut orders = Vec::new();
            for row in rows {
                let (rowid, id, placed_at, snapshot) = row?;
                orders.push(PlacedOrder {
                    number: 10_000 + rowid,
                    id,
                    placed_at,
                    snapshot: serde_json::from_str(&snapshot)?,
                });
            }
            Ok(orders)
        })
    }

    pub fn save_auth_code(&self, code: &str, auth: &AuthCode) -> Result<(), StoreError> {
        off_the_runtime(|| {
            self.lock().execute(
                "INSERT INTO auth_codes (code, identity_id, client_id, code_challenge, redirect_uri, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![code, auth.identity.id, auth.client_id, auth.code_challenge, auth.redirect_uri, auth.expires_at],
            )?;
            Ok(())
        })
    }

    /// Takes an authorization code: it works once.
    pub fn take_auth_code(&self, code: &str) -> Result<Option<AuthCode>, StoreError> {
        off_the_runtime(|| {
            let mut connection = self.lock();
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row = tx
                .query_row(
                    "SELECT a.identity_id, i.kind, a.client_id, a.code_challenge, a.redirect_uri, a.expires_at
                     FROM auth_codes a JOIN identities i ON i.id = a.identity_id WHERE a.code = ?1 AND a.used = 0",
                    params![code],
                    |row| {
                        Ok(AuthCode {
                            identity: Identity {
                                id: row.get(0)?,
                                kind: IdentityKind::parse(&row.get::<_, String>(1)?),
                            },
                            client_id: row.get(2)?,
                            code_challenge: row.get(3)?,
                            redirect_uri: row.get(4)?,
                            expires_at: row.get(5)?,
                        })
                    },
                )
                .optional()?;
            if row.is_some() {
                tx.execute(
                    "UPDATE auth_codes SET used = 1 WHERE code = ?1",
                    params![code],
                )?;
            }
            tx.commit()?;
            Ok(row)
        })
    }
}

/// Runs SQLite work without stalling the async runtime: on a multi-threaded runtime (the
/// storefront's, the standalone emulator's) the worker hands its other tasks to the rest of the
/// pool while it waits; a single-threaded one (a unit test) simply runs it.
fn off_the_runtime<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

fn read_current_cart(
    connection: &Connection,
    identity: &Identity,
) -> Result<Option<CartRow>, StoreError> {
    read_cart(
        connection,
        "c.identity_id = ?1 AND c.is_current = 1",
        &identity.id,
    )
}

/// One cart row selected by `condition` on table alias `c` with one parameter.
fn read_cart(
    connection: &Connection,
    condition: &str,
    param: &str,
) -> Result<Option<CartRow>, StoreError> {
    let sql = format!(
        "SELECT c.id, c.revision, c.created_at, c.updated_at, c.lines, c.coupon, c.order_id, i.id, i.kind
         FROM carts c JOIN identities i ON i.id = c.identity_id WHERE {condition}"
    );
    let row = connection
        .query_row(&sql, params![param], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
            ))
        })
        .optional()?;
    let Some((id, revision, created_at, updated_at, lines, coupon, order_id, identity_id, kind)) =
        row
    else {
        return Ok(None);
    };
    Ok(Some(CartRow {
        id,
        identity: Identity {
            id: identity_id,
            kind: IdentityKind::parse(&kind),
        },
        revision,
        created_at,
        updated_at,
        lines: serde_json::from_str(&lines)?,
        coupon,
        order_id,
    }))
}

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    connection
        .execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let version: Option<i64> = connection
        .query_row("SELECT MAX(version) FROM schema_version", [], |row| {
            row.get(0)
        })
        .optional()?
        .flatten();
    let version = version.unwrap_or(0) as usize;
    if version > MIGRATIONS.len() {
        return Err(StoreError::FutureSchema {
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = connection.transaction()?;
        tx.execute_batch(migration)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            params![index as i64 + 1],
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_reopening_and_migrations_are_idempotent() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("nested/emulator.sqlite");
        let identity = {
            let store = Store::open(&path).expect("open");
            let identity = store
                .create_identity(IdentityKind::Visitor, 1)
                .expect("identity");
            store
                .save_tokens(&identity, "OauthNG.JWS.a", 100, Some("JWS.r"), 1)
                .expect("tokens");
            store
                .update_cart::<StoreError>(&identity, true, "t", |cart| {
                    cart.lines.push(StoredLine {
                        id: "l1".into(),
                        product_id: "p".into(),
                        variant_id: None,
                        quantity: 2,
                    });
                    Ok(())
                })
                .expect("cart");
            identity
        };
        let store = Store::open(&path).expect("reopen");
        assert!(store
            .identity_for_refresh_token("JWS.r")
            .expect("query")
            .is_some());
        let cart = store
            .current_cart(&identity)
            .expect("query")
            .expect("cart kept");
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.revision, 1);
    }
}
