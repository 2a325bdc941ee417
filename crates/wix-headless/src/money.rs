//! Money as Wix sends it (wix-api.md §1.3): a decimal amount, an ISO 4217 currency, and, where
//! Wix sent one, its own `formattedAmount` for display (catalog prices requested with
//! `CURRENCY`, Cart v1). Cart V2 sends no formatted strings (§5b.4), so those amounts, and
//! anything the store computes, are formatted by rusty-money from the currency's ISO 4217 data
//! (minor units, symbol and its placement, separators).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Exact decimal amount (`27.5`), never a float.
    pub amount: Decimal,
    /// ISO 4217 code (`USD`).
    pub currency: String,
    /// What a shopper reads: Wix's `formattedAmount` when it sent one, else formatted here.
    pub formatted: String,
}

impl Money {
    /// `amount` in `currency`, shown as Wix formatted it (`wix_formatted`) when it did.
    pub fn new(amount: Decimal, currency: &str, wix_formatted: Option<&str>) -> Self {
        let formatted = wix_formatted
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| format(amount, currency));
        Self {
            amount,
            currency: currency.to_owned(),
            formatted,
        }
    }

    /// An amount the store computed (a sum, a product): always formatted here.
    pub fn computed(amount: Decimal, currency: &str) -> Self {
        Self::new(amount, currency, None)
    }

    pub fn zero(currency: &str) -> Self {
        Self::computed(Decimal::ZERO, currency)
    }

    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// This price times a quantity (a line total the store had to compute).
    pub fn times(&self, quantity: u32) -> Self {
        Self::computed(self.amount * Decimal::from(quantity), &self.currency)
    }

    /// How many whole percent this price is below `was` (rounded down, so a badge never
    /// promises more than the saving); `None` unless it is lower, in the same currency.
    pub fn percent_below(&self, was: &Money) -> Option<u32> {
        if self.currency != was.currency || was.amount <= Decimal::ZERO || self.amount >= was.amount
        {
            return None;
        }
        let percent = ((was.amount - self.amount) * Decimal::ONE_HUNDRED / was.amount).floor();
        rust_decimal::prelude::ToPrimitive::to_u32(&percent).filter(|p| *p > 0)
    }

    /// The amount as a plain decimal string (`27.5`), for structured data and forms.
    pub fn decimal_string(&self) -> String {
        self.amount.normalize().to_string()
    }
}

/// Formats `amount` in `currency` by the currency's ISO 4217 rules (`$1,234.50`, `¥1,235`,
/// `€1.234,50`); an unknown code falls back to `1234.50 XYZ`.
pub fn format(amount: Decimal, currency: &str) -> String {
    match rusty_money::iso::find(currency) {
        Some(iso) => {
            // Exactly the currency's minor units: 27.5 USD is $27.50, 1234.5 JPY is ¥1,235.
            let mut scaled = round(amount, iso.exponent);
            scaled.rescale(iso.exponent);
            rusty_money::Money::from_decimal(scaled, iso).to_string()
        }
        None => {
            let mut scaled = round(amount, 2);
            scaled.rescale(2);
            format!("{scaled} {currency}")
        }
    }
}

/// Half away from zero, as prices are rounded (not the banker's rounding of `round_dp`).
fn round(amount: Decimal, places: u32) -> Decimal {
    amount.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Wix's decimal string (`"27"`, `"27.50"`); tolerates a JSON number, which some clients send.
pub(crate) fn parse_amount(text: &str) -> Option<Decimal> {
    Decimal::from_str(text.trim())
        .ok()
        .or_else(|| Decimal::from_scientific(text.trim()).ok())
}

/// A wire amount: a string as documented, or a number.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Amount(pub Option<Decimal>);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self(match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => parse_amount(&text),
            serde_json::Value::Number(number) => parse_amount(&number.to_string()),
            _ => None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savings_are_whole_percent_rounded_down() {
        let usd = |amount: &str| Money::computed(dec(amount), "USD");
        assert_eq!(usd("45").percent_below(&usd("63")), Some(28), "28.57 % off");
        assert_eq!(usd("85").percent_below(&usd("100")), Some(15));
        assert_eq!(
            usd("99.5").percent_below(&usd("100")),
            None,
            "under 1 % says nothing"
        );
        assert_eq!(usd("63").percent_below(&usd("63")), None);
        assert_eq!(usd("70").percent_below(&usd("63")), None);
        assert_eq!(usd("1").percent_below(&usd("0")), None);
        let eur = Money::computed(dec("45"), "EUR");
        assert_eq!(
            eur.percent_below(&usd("63")),
            None,
            "never across currencies"
        );
    }

    fn dec(text: &str) -> Decimal {
        parse_amount(text).expect("decimal")
    }

    #[test]
    fn formats_by_each_currencys_rules() {
        assert_eq!(format(dec("27.5"), "USD"), "$27.50");
        assert_eq!(format(dec("1234.5"), "USD"), "$1,234.50");
        assert_eq!(format(dec("1234.5"), "JPY"), "¥1,235", "no minor unit");
        assert_eq!(format(dec("1234.5"), "EUR"), "€1.234,50", "decimal comma");
        assert_eq!(format(dec("3.1"), "XYZ"), "3.10 XYZ");
    }

    #[test]
    fn wix_formatting_wins_and_computed_amounts_are_formatted_here() {
        assert_eq!(
            Money::new(dec("9"), "EUR", Some("9,00 €")).formatted,
            "9,00 €"
        );
        assert_eq!(Money::new(dec("9"), "EUR", Some("")).formatted, "€9,00");
        let unit = Money::new(dec("12.05"), "USD", Some("$12.05"));
        assert_eq!(unit.times(3), Money::computed(dec("36.15"), "USD"));
        assert_eq!(unit.times(3).formatted, "$36.15");
        assert_eq!(
            Money::new(dec("27.50"), "USD", None).decimal_string(),
            "27.5"
        );
        assert!(Money::zero("USD").is_zero());
    }

    #[test]
    fn amounts_are_strings_or_numbers() {
        let parsed: Vec<Amount> =
            serde_json::from_str(r#"["27.5", 27.5, "x", null, "1e2"]"#).expect("json");
        assert_eq!(
            parsed,
            [
                Amount(Some(dec("27.5"))),
                Amount(Some(dec("27.5"))),
                Amount(None),
                Amount(None),
                Amount(Some(dec("100")))
            ]
        );
    }
}
