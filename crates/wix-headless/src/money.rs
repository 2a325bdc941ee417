//! Money as shoppers read it. Cart v1 sends formatted strings; Cart V2 does not (wix-api.md §5b.4),
//! so amounts are formatted here from the cart's currency code.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Money {
    /// Wix's decimal string, e.g. `"27.5"`.
    pub amount: String,
    /// `$27.50`.
    pub formatted: String,
}

impl Money {
    /// Uses Wix's formatted string when there is one, otherwise formats `amount` in `currency`.
    pub fn new(amount: &str, formatted: Option<&str>, currency: &str) -> Self {
        Self {
            amount: amount.to_owned(),
            formatted: formatted
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| format_amount(amount, currency)),
        }
    }

    /// An amount computed here (a sum or product of Wix's amounts), formatted in `currency`.
    pub fn from_cents(cents: i64, currency: &str) -> Self {
        let sign = if cents < 0 { "-" } else { "" };
        let amount = format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100);
        Self::new(&amount, None, currency)
    }

    /// The amount in minor units (cents), for comparisons and sums.
    pub fn cents(&self) -> i64 {
        parse_cents(&self.amount).unwrap_or(0)
    }

    pub fn is_zero(&self) -> bool {
        self.cents() == 0
    }
}

fn parse_cents(amount: &str) -> Option<i64> {
    let amount = amount.trim();
    let negative = amount.starts_with('-');
    let amount = amount.trim_start_matches('-');
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(2)
        .collect();
    let cents = whole
        .checked_mul(100)?
        .checked_add(fraction.parse::<i64>().ok()?)?;
    Some(if negative { -cents } else { cents })
}

/// `27.5` in `USD` → `$27.50`; unknown currencies → `27.50 XYZ`.
pub fn format_amount(amount: &str, currency: &str) -> String {
    let cents = parse_cents(amount).unwrap_or(0);
    let sign = if cents < 0 { "-" } else { "" };
    let number = format!("{}.{:02}", cents.abs() / 100, cents.abs() % 100);
    let symbol = match currency {
        "USD" | "CAD" | "AUD" | "NZD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        "ILS" => Some("₪"),
        _ => None,
    };
    match symbol {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{number} {currency}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_wix_amounts() {
        assert_eq!(format_amount("27.5", "USD"), "$27.50");
        assert_eq!(format_amount("270", "EUR"), "€270.00");
        assert_eq!(format_amount("3.1", "XYZ"), "3.10 XYZ");
        assert_eq!(Money::new("9", Some("9,00 €"), "EUR").formatted, "9,00 €");
        assert_eq!(Money::new("12.05", None, "USD").cents(), 1205);
        assert_eq!(Money::new("-2.5", None, "USD").cents(), -250);
        assert_eq!(
            Money::from_cents(-250, "USD"),
            Money::new("-2.50", None, "USD")
        );
        assert_eq!(Money::from_cents(2705, "USD").formatted, "$27.05");
    }
}
