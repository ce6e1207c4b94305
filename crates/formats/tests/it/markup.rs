//! A small, strict checker and tree builder for the HTML the crate writes (HTML5 syntax with
//! inline SVG): balanced and properly nested tags, void elements, quoted attributes, no raw `<`
//! or stray `&` in text or attribute values, `<style>` as raw text.

/// An element with its attributes (unescaped) and children.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Node>,
}

/// A child node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

impl Element {
    /// The value of attribute `name`.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Whether the `class` attribute holds `class`.
    pub(crate) fn has_class(&self, class: &str) -> bool {
        self.attr("class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }

    /// All text below this element, concatenated.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => out.push_str(&e.text()),
            }
        }
        out
    }

    /// Every descendant element (depth first, this one included).
    pub(crate) fn all(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for c in &self.children {
            if let Node::Element(e) = c {
                out.extend(e.all());
            }
        }
        out
    }

    /// Descendants named `name`.
    pub(crate) fn find(&self, name: &str) -> Vec<&Element> {
        self.all().into_iter().filter(|e| e.name == name).collect()
    }

    /// Direct children elements.
    pub(crate) fn elements(&self) -> Vec<&Element> {
        self.children
            .iter()
            .filter_map(|c| match c {
                Node::Element(e) => Some(e),
                Node::Text(_) => None,
            })
            .collect()
    }
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').ok_or_else(|| format!("unterminated entity in {s:?}"))?;
        let ent = &rest[i + 1..i + end];
        match ent {
            "amp" => out.push('&'),
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "quot" => out.push('"'),
            "apos" => out.push('\''),
            e if e.starts_with("#x") => out.push(
                char::from_u32(u32::from_str_radix(&e[2..], 16).map_err(|x| x.to_string())?).ok_or("char")?,
            ),
            e if e.starts_with('#') => {
                out.push(char::from_u32(e[1..].parse().map_err(|_| "bad reference")?).ok_or("char")?)
            }
            e => return Err(format!("unknown entity &{e};")),
        }
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Parses a document into its root element (`html`), or says what is wrong.
pub(crate) fn parse(doc: &str) -> Result<Element, String> {
    let mut rest = doc.trim_start();
    rest = rest.strip_prefix("<!DOCTYPE html>").ok_or("no doctype")?;
    let mut stack: Vec<Element> =
        vec![Element { name: "#document".into(), attrs: Vec::new(), children: Vec::new() }];
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<!--") {
            let end = r.find("-->").ok_or("unterminated comment")?;
            rest = &r[end + 3..];
        } else if let Some(r) = rest.strip_prefix("</") {
            let end = r.find('>').ok_or("unterminated end tag")?;
            let name = r[..end].trim();
            let el = stack.pop().ok_or("end tag without start")?;
            if el.name != name {
                return Err(format!("</{name}> closes <{}>", el.name));
            }
            stack.last_mut().ok_or("end tag closes the document")?.children.push(Node::Element(el));
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let name_end = r.find(|c: char| c.is_whitespace() || c == '>' || c == '/').ok_or("bad tag")?;
            let name = r[..name_end].to_string();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':') {
                return Err(format!("bad tag name {name:?}"));
            }
            let mut r = &r[name_end..];
            let mut attrs: Vec<(String, String)> = Vec::new();
            let self_closing;
            loop {
                r = r.trim_start();
                if let Some(x) = r.strip_prefix("/>") {
                    self_closing = true;
                    r = x;
                    break;
                }
                if let Some(x) = r.strip_prefix('>') {
                    self_closing = false;
                    r = x;
                    break;
                }
                let eq =
                    r.find(|c: char| c == '=' || c.is_whitespace() || c == '>').ok_or("bad attribute")?;
                let key = r[..eq].to_string();
                if key.is_empty() {
                    return Err(format!("empty attribute name in <{name}>"));
                }
                if attrs.iter().any(|(k, _)| *k == key) {
                    return Err(format!("duplicate attribute {key} in <{name}>"));
                }
                r = &r[eq..];
                if let Some(x) = r.strip_prefix("=\"") {
                    let end = x.find('"').ok_or("unterminated attribute")?;
                    let raw = &x[..end];
                    if raw.contains('<') {
                        return Err(format!("raw < in attribute {key}"));
                    }
                    attrs.push((key, unescape(raw)?));
                    r = &x[end + 1..];
                } else if r.starts_with('=') {
                    return Err(format!("unquoted attribute {key} in <{name}>"));
                } else {
                    attrs.push((key, String::new()));
                }
            }
            rest = r;
            let el = Element { name: name.clone(), attrs, children: Vec::new() };
            if self_closing || VOID.contains(&name.as_str()) {
                stack.last_mut().ok_or("no parent")?.children.push(Node::Element(el));
            } else if name == "style" || name == "script" {
                let close = format!("</{name}>");
                let end = rest.find(&close).ok_or("unterminated raw text element")?;
                let mut el = el;
                el.children.push(Node::Text(rest[..end].to_string()));
                stack.last_mut().ok_or("no parent")?.children.push(Node::Element(el));
                rest = &rest[end + close.len()..];
            } else {
                stack.push(el);
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if !text.trim().is_empty() {
                if stack.len() == 1 {
                    return Err("text outside the root element".into());
                }
                stack.last_mut().ok_or("no parent")?.children.push(Node::Text(unescape(text)?));
            }
            rest = &rest[end..];
        }
    }
    if stack.len() != 1 {
        return Err(format!("unclosed <{}>", stack.last().map(|e| e.name.clone()).unwrap_or_default()));
    }
    let mut doc = stack.pop().ok_or("empty")?;
    let root = match doc.children.pop() {
        Some(Node::Element(e)) if doc.children.is_empty() && e.name == "html" => e,
        _ => return Err("the document is not one <html> element".into()),
    };
    Ok(root)
}

/// The document with the inside of every `<svg>` element replaced by `…` (the charts and maps
/// crates have golden files of their own).
pub(crate) fn elide_svg(doc: &str) -> String {
    let mut out = String::new();
    let mut rest = doc;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        let r = &rest[i..];
        let mut depth = 0usize;
        let mut pos = 0usize;
        loop {
            let open = r[pos..].find("<svg").map(|x| x + pos);
            let close = r[pos..].find("</svg>").map(|x| x + pos);
            match (open, close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    pos = o + 4;
                }
                (_, Some(c)) => {
                    depth -= 1;
                    pos = c + 6;
                    if depth == 0 {
                        break;
                    }
                }
                _ => return out + r,
            }
        }
        out.push_str("<svg>…</svg>");
        rest = &r[pos..];
    }
    out.push_str(rest);
    out
}
