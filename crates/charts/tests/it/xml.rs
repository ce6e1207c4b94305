//! A small, strict XML well-formedness checker and tree builder for the produced SVG.
//!
//! It accepts exactly what the charts may contain: elements, attributes in double quotes, text,
//! the five predefined entities and numeric character references. It rejects unbalanced or
//! misnested tags, duplicate attributes, a raw `<` or `&` in text or attribute values, unknown
//! entities, characters XML 1.0 forbids, and anything after the root element.

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

impl Element {
    /// The value of attribute `name`.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A numeric attribute (0 when absent or malformed).
    pub(crate) fn num(&self, name: &str) -> f64 {
        self.attr(name).and_then(|v| v.parse().ok()).unwrap_or(0.0)
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

    /// The text of the direct `<title>` child, if any.
    pub(crate) fn tooltip(&self) -> Option<String> {
        self.children.iter().find_map(|c| match c {
            Node::Element(e) if e.name == "title" => Some(e.text()),
            _ => None,
        })
    }

    /// Text of this element without its `<title>`/`<desc>` children.
    pub(crate) fn own_text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if e.name != "title" && e.name != "desc" => out.push_str(&e.own_text()),
                Node::Element(_) => {}
            }
        }
        out
    }

    /// Every element in the tree (pre-order), including this one.
    pub(crate) fn all(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for c in &self.children {
            if let Node::Element(e) = c {
                out.extend(e.all());
            }
        }
        out
    }

    /// Every element named `name`.
    pub(crate) fn find(&self, name: &str) -> Vec<&Element> {
        self.all().into_iter().filter(|e| e.name == name).collect()
    }
}

fn is_name_char(c: char, first: bool) -> bool {
    c.is_ascii_alphabetic()
        || c == '_'
        || c == ':'
        || (!first && (c.is_ascii_digit() || c == '-' || c == '.'))
}

fn allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || ((c as u32) >= 0x20 && c != '\u{FFFE}' && c != '\u{FFFF}')
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        Some(c)
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}: {:?}", self.i, &self.s[self.i..(self.i + 40).min(self.s.len())]))
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let start = self.i;
        match self.peek() {
            Some(c) if is_name_char(c, true) => {
                self.bump();
            }
            _ => return self.err("expected a name"),
        }
        while self.peek().is_some_and(|c| is_name_char(c, false)) {
            self.bump();
        }
        Ok(self.s[start..self.i].to_owned())
    }

    /// Reads up to (not including) `end`, decoding references.
    fn chars_until(&mut self, end: char, in_attr: bool) -> Result<String, String> {
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return self.err("unexpected end"),
                Some(c) if c == end => return Ok(out),
                Some('<') if in_attr => return self.err("raw < in attribute"),
                Some('&') => {
                    self.bump();
                    let start = self.i;
                    while self.peek().is_some_and(|c| c != ';') {
                        if self.i - start > 10 {
                            return self.err("unterminated reference");
                        }
                        self.bump();
                    }
                    let r = &self.s[start..self.i];
                    self.bump();
                    let c = match r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => {
                            let code = if let Some(hex) = r.strip_prefix("#x") {
                                u32::from_str_radix(hex, 16).ok()
                            } else if let Some(dec) = r.strip_prefix('#') {
                                dec.parse().ok()
                            } else {
                                None
                            };
                            match code.and_then(char::from_u32).filter(|c| allowed_char(*c)) {
                                Some(c) => c,
                                None => return self.err("unknown entity"),
                            }
                        }
                    };
                    out.push(c);
                }
                Some(c) if !allowed_char(c) => return self.err("forbidden character"),
                Some(c) => {
                    self.bump();
                    out.push(c);
                }
            }
        }
    }

    fn element(&mut self) -> Result<Element, String> {
        if self.bump() != Some('<') {
            return self.err("expected <");
        }
        let name = self.name()?;
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let had_ws = self.peek().is_some_and(|c| c.is_ascii_whitespace());
            self.skip_ws();
            match self.peek() {
                Some('/') => {
                    self.bump();
                    if self.bump() != Some('>') {
                        return self.err("expected />");
                    }
                    return Ok(Element { name, attrs, children: Vec::new() });
                }
                Some('>') => {
                    self.bump();
                    break;
                }
                Some(_) if had_ws => {
                    let key = self.name()?;
                    if attrs.iter().any(|(k, _)| *k == key) {
                        return self.err("duplicate attribute");
                    }
                    if self.bump() != Some('=') || self.bump() != Some('"') {
                        return self.err("expected =\"");
                    }
                    let value = self.chars_until('"', true)?;
                    self.bump();
                    attrs.push((key, value));
                }
                _ => return self.err("malformed tag"),
            }
        }
        let mut children = Vec::new();
        loop {
            if self.s[self.i..].starts_with("</") {
                self.i += 2;
                let close = self.name()?;
                self.skip_ws();
                if close != name || self.bump() != Some('>') {
                    return self.err(&format!("mismatched close of <{name}>"));
                }
                return Ok(Element { name, attrs, children });
            }
            match self.peek() {
                None => return self.err("unclosed element"),
                Some('<') => children.push(Node::Element(self.element()?)),
                Some(_) => {
                    let text = self.chars_until('<', false)?;
                    if text.contains('>') && text.contains("]]>") {
                        return self.err("]]> in text");
                    }
                    children.push(Node::Text(text));
                }
            }
        }
    }
}

/// Parses `svg` as a well-formed XML document with one root element.
pub(crate) fn parse(svg: &str) -> Result<Element, String> {
    let mut p = Parser { s: svg, i: 0 };
    p.skip_ws();
    let root = p.element()?;
    p.skip_ws();
    if p.i != svg.len() {
        return p.err("content after the root element");
    }
    Ok(root)
}

/// Parses `svg`, panicking with the reason when it is not well-formed.
pub(crate) fn tree(svg: &str) -> Element {
    parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

#[test]
fn checker_rejects_malformed_documents() {
    for bad in [
        "<svg>",
        "<svg></g>",
        "<svg><g></svg></g>",
        "<svg a=\"1\" a=\"2\"/>",
        "<svg a='1'/>",
        "<svg a=\"<\"/>",
        "<svg>&nbsp;</svg>",
        "<svg>a & b</svg>",
        "<svg>a < b</svg>",
        "<svg/><svg/>",
        "<svg>\u{1}</svg>",
        "<svg a=\"1\"b=\"2\"/>",
    ] {
        assert!(parse(bad).is_err(), "accepted {bad:?}");
    }
    let ok = tree("<svg a=\"&lt;&amp;&quot;&#x41;&#66;\"><t>x &gt; y</t><g/></svg>\n");
    assert_eq!(ok.attr("a"), Some("<&\"AB"));
    assert_eq!(ok.text(), "x > y");
}
