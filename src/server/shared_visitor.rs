//! One server-wide anonymous visitor whose token reads the public catalog for everyone: browsing
//! costs no token call per visitor (or per bot hit).
//!
//! During a token-endpoint outage requests must not pile up behind one another: one attempt is
//! in flight at a time and every waiting request shares its result; a failure is remembered for
//! [`FAILURE_MEMORY`], so the requests after it fail at once instead of each waiting for a
//! timeout; and a token close to expiry is renewed in the background, so no request waits for it.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::watch;
use wix_headless::{Tokens, WixClient, WixError};

/// How long a failed attempt answers for the attempts it would otherwise cause.
pub const FAILURE_MEMORY: Duration = Duration::from_secs(2);
/// A token with less than this left (beyond the renewal margin) is renewed in the background;
/// less for short-lived tokens (see [`renew_after`]).
const REFRESH_AHEAD_SECS: i64 = 120;

/// The outcome of the attempt in flight, once there is one.
type Attempt = watch::Receiver<Option<Result<Tokens, WixError>>>;

#[derive(Default)]
struct Slot {
    tokens: Option<Tokens>,
    /// When the held token is renewed in the background, ahead of need.
    renew_after: i64,
    /// The attempt in flight, shared by everyone who needs its result.
    attempt: Option<Attempt>,
    /// The last failure, and when it happened.
    failure: Option<(Instant, WixError)>,
}

#[derive(Default)]
pub struct SharedVisitor {
    slot: Mutex<Slot>,
}

enum Next {
    Ready(String),
    Failed(WixError),
    Wait(Attempt),
}

impl SharedVisitor {
    fn lock(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A valid access token: the one held, or the result of the one attempt in flight.
    pub async fn access_token(self: &Arc<Self>, wix: &WixClient) -> Result<String, WixError> {
        let next = {
            let mut slot = self.lock();
            match slot.tokens.clone().filter(|t| wix.is_valid(t)) {
                Some(tokens) => {
                    let recently_failed = slot
                        .failure
                        .as_ref()
                        .is_some_and(|(at, _)| at.elapsed() < FAILURE_MEMORY);
                    if wix.now() >= slot.renew_after && slot.attempt.is_none() && !recently_failed {
                        self.start_attempt(&mut slot, wix, true);
                    }
                    Next::Ready(tokens.access_token.value)
                }
                None => match slot.failure.clone() {
                    Some((at, error)) if at.elapsed() < FAILURE_MEMORY => Next::Failed(error),
                    _ => match slot.attempt.clone() {
                        Some(attempt) => Next::Wait(attempt),
                        None => Next::Wait(self.start_attempt(&mut slot, wix, false)),
                    },
                },
            }
        };
        match next {
            Next::Ready(token) => Ok(token),
            Next::Failed(error) => Err(error),
            Next::Wait(mut attempt) => {
                let outcome = attempt
                    .wait_for(Option::is_some)
                    .await
                    .map_err(|_| WixError::Unreachable("the token attempt was dropped".into()))?;
                match outcome.as_ref() {
                    Some(Ok(tokens)) => Ok(tokens.access_token.value.clone()),
                    Some(Err(error)) => Err(error.clone()),
                    None => Err(WixError::Unreachable("no token attempt outcome".into())),
                }
            }
        }
    }

    /// Starts the one attempt (in its own task, so a caller that gives up does not cancel it
    /// for the others) and records its outcome.
    fn start_attempt(self: &Arc<Self>, slot: &mut Slot, wix: &WixClient, ahead: bool) -> Attempt {
        let (outcome, attempt) = watch::channel(None);
        slot.attempt = Some(attempt.clone());
        let (this, wix) = (self.clone(), wix.clone());
        let held = slot.tokens.clone();
        tokio::spawn(async move {
            let result = obtain(&wix, held).await;
            // Recorded before the waiters wake, so whoever comes next finds it.
            let mut slot = this.lock();
            slot.attempt = None;
            match &result {
                Ok(tokens) => {
                    slot.renew_after = renew_after(
                        wix.now(),
                        tokens.access_token.expires_at,
                        wix.config().renew_margin_secs,
                    );
                    slot.tokens = Some(tokens.clone());
                    slot.failure = None;
                }
                Err(error) => {
                    if !ahead {
                        tracing::warn!(%error, "the shared visitor token could not be obtained");
                    }
                    slot.failure = Some((Instant::now(), error.clone()));
                }
            }
            drop(slot);
            outcome.send_replace(Some(result));
        });
        attempt
    }

    /// Wix refused `access_token` (401): forget it so the next call renews.
    pub fn invalidate(&self, access_token: &str) {
        let mut slot = self.lock();
        if slot
            .tokens
            .as_ref()
            .is_some_and(|t| t.access_token.value == access_token)
        {
            slot.tokens = None;
        }
    }
}

/// Renews the held tokens, or mints new ones: the shared visitor has no cart, so starting over
/// loses nothing, whatever made the renewal fail.
async fn obtain(wix: &WixClient, held: Option<Tokens>) -> Result<Tokens, WixError> {
    if let Some(held) = held.filter(Tokens::has_refresh_token) {
        match wix.renew_token(&held.refresh_token).await {
            Ok(tokens) => return Ok(tokens),
            Err(error) => tracing::debug!(%error, "shared visitor renewal failed; minting anew"),
        }
    }
    wix.anonymous_tokens().await
}

/// When a token expiring at `expires_at` is renewed ahead of need: [`REFRESH_AHEAD_SECS`] before
/// it counts as expired, or once three quarters of its usable life have passed if that comes
/// later. (A fixed lead alone would renew a token that lives less than it on every use.)
fn renew_after(now: i64, expires_at: i64, margin_secs: i64) -> i64 {
    let usable_until = expires_at - margin_secs;
    let usable = (usable_until - now).max(0);
    usable_until - REFRESH_AHEAD_SECS.min(usable / 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_ahead_but_not_on_every_use() {
        // Wix's 4-hour tokens: two minutes before they count as expired.
        assert_eq!(renew_after(0, 14_400, 60), 14_400 - 60 - 120);
        // A 40-second token (found by the scale-out suite: a fixed two-minute lead renewed it on
        // every catalog read): after three quarters of its usable 30 seconds.
        assert_eq!(renew_after(1_000, 1_040, 10), 1_000 + 30 - 7);
        // Already past its usable life: due now.
        assert_eq!(renew_after(1_000, 1_005, 10), 995);
    }
}
