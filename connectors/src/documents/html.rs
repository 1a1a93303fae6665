//! HTML: the text between the tags, a line per block element, scripts and styles left out,
//! entities decoded. Pages in GBK/GB18030 (still common on Chinese intranets) are decoded as
//! such when they are not valid UTF-8.

use super::Extracted;

/// Elements whose start or end begins a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "title",
    "ul",
    "ol",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "hr",
];

pub(super) fn text(bytes: &[u8]) -> Extracted {
    let decoded = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    };
    let s: &str = &decoded;
    let mut out = Extracted::default();
    let mut rest = s;
    while !rest.is_empty() && !out.full() {
        let Some(lt) = rest.find('<') else {
            push_text(rest, &mut out);
            break;
        };
        push_text(&rest[..lt], &mut out);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |at| &rest[at..]);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push("\n");
        } else if (name == "td" || name == "th") && !tag.starts_with('/') {
            out.push("\t");
        }
    }
    out
}

/// Text between tags, entities decoded, runs of white space as one space.
fn push_text(raw: &str, out: &mut Extracted) {
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        text.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10);
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                text.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                text.push('&');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    let mut spaced = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !spaced.is_empty() {
            spaced.push(' ');
        }
        spaced.push_str(word);
    }
    if !spaced.is_empty() {
        out.push(&spaced);
    }
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_blocks_and_entities() {
        let page = "<html><head><title>名单</title><style>p{color:red}</style>\
                    <script>var x = '<p>no</p>';</script></head><body>\
                    <p>客户&nbsp;王&amp;李</p><!-- <p>hidden</p> --><table><tr><td>a</td>\
                    <td>&#49;&#x32;</td></tr></table></body></html>";
        let out = text(page.as_bytes());
        let lines: Vec<&str> = out
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, ["名单", "客户 王&李", "a\t12"]);
    }

    #[test]
    fn gbk_pages_are_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<p>联系电话</p>");
        assert_eq!(text(&bytes).text.trim(), "联系电话");
    }
}
