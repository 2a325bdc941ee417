//! Money as Wix sends it: decimal strings, and formatted strings with the currency symbol.

use serde_json::{json, Value};

/// An amount in cents, so that totals add up exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cents(pub i64);

impl Cents {
    /// Parses Wix's decimal strings (`"27"`, `"27.5"`, `"270.00"`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 {
            return None;
        }
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(fraction).map(Self)
    }

    /// `"27"` for whole amounts, `"27.5"` otherwise: the shortest decimal, as Wix does.
    pub fn amount(self) -> String {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        match fraction {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole}.{}", f / 10),
            f => format!("{whole}.{f:02}"),
        }
    }

    /// `"$27.00"`.
    pub fn formatted(self, symbol: &str) -> String {
        format!("{symbol}{}.{:02}", self.0 / 100, self.0 % 100)
    }

    pub fn times(self, quantity: u32) -> Self {
        Self(self.0.saturating_mul(i64::from(quantity)))
    }

    /// A MultiCurrencyPrice of Cart v1 (§5.3), with the conversion currency equal to the store's.
    pub fn multi_currency(self, symbol: &str) -> Value {
        let amount = self.amount();
        let formatted = self.formatted(symbol);
        json!({"amount": amount, "convertedAmount": amount,
               "formattedAmount": formatted, "formattedConvertedAmount": formatted})
    }
}

#[cfg(test)]
mod tests {
    use super::Cents;

    #[test]
    fn parses_and_prints_wix_amounts() {
        assert_eq!(Cents::parse("27"), Some(Cents(2700)));
        assert_eq!(Cents::parse("27.5"), Some(Cents(2750)));
        assert_eq!(Cents::parse("270.00"), Some(Cents(27000)));
        assert_eq!(Cents::parse("-1"), None);
        assert_eq!(Cents::parse("1.234"), None);
        assert_eq!(Cents(2750).amount(), "27.5");
        assert_eq!(Cents(2705).amount(), "27.05");
        assert_eq!(Cents(2700).formatted("$"), "$27.00");
    }
}
