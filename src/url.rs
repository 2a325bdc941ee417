//! Small URL helpers shared by the server and the browser build (no dependencies needed).

/// The cart page: where the badge leads without JavaScript, cart forms return, and notices about
/// the cart are shown.
pub const CART_PAGE: &str = "/cart";

/// Percent-encodes a query-string component (`application/x-www-form-urlencoded` style).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A local path to send the browser back to after a form post. Anything that could leave the
/// site (`//evil.com`, `https://…`, `/\evil.com`) becomes `/`.
pub fn safe_return_path(path: &str) -> String {
    let path = path.trim();
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    if local {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

/// `path` with `key=value` set in its query string (replacing an earlier value of `key`).
pub fn with_query_param(path: &str, key: &str, value: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(key))
        .map(str::to_owned)
        .collect();
    parts.push(format!("{key}={}", encode_component(value)));
    format!("{base}?{}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_components() {
        assert_eq!(encode_component("blue shirt & co"), "blue+shirt+%26+co");
        assert_eq!(encode_component("é"), "%C3%A9");
    }

    #[test]
    fn return_paths_stay_on_the_site() {
        assert_eq!(
            safe_return_path("/product/linen-tee?Color=Black"),
            "/product/linen-tee?Color=Black"
        );
        for hostile in [
            "//evil.com",
            "https://evil.com",
            "/\\evil.com",
            "",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(safe_return_path(hostile), "/", "{hostile:?}");
        }
    }

    #[test]
    fn query_params_replace_earlier_values() {
        assert_eq!(
            with_query_param("/p/x", "notice", "added"),
            "/p/x?notice=added"
        );
        assert_eq!(
            with_query_param("/p/x?a=1&notice=old", "notice", "added"),
            "/p/x?a=1&notice=added"
        );
    }
}
