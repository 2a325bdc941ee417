//! Wix's HTML descriptions (`plainDescription`, info sections) reduced to plain paragraphs, so
//! nothing a merchant (or an attacker with their account) wrote can run on the page.

/// Wix's `plainDescription` is HTML. It is reduced to text paragraphs (block tags break
/// paragraphs, every other tag is dropped, entities decoded), so nothing from it can run.
pub fn paragraphs(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        current.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "p" | "br" | "li" | "ul" | "ol" | "div" | "h1" | "h2" | "h3" | "h4"
        ) {
            blocks.push(std::mem::take(&mut current));
        } else {
            current.push(' ');
        }
        rest = &rest[start + end + 1..];
    }
    current.push_str(rest);
    blocks.push(current);
    blocks
        .into_iter()
        .map(|b| decode_entities(&b.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|b| !b.is_empty())
        .collect()
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn descriptions_become_plain_paragraphs() {
        assert_eq!(
            paragraphs("<p>Hand-glazed <b>stoneware</b>.</p><ul><li>Dishwasher safe</li></ul>"),
            ["Hand-glazed stoneware .", "Dishwasher safe"]
        );
        assert_eq!(
            paragraphs("<script>alert(1)</script><p>Tom &amp; Jerry</p>"),
            ["alert(1)", "Tom & Jerry"]
        );
        assert_eq!(paragraphs("broken <b"), ["broken"]);
    }
}
