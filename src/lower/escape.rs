//! How text is written into a root so that Terraform reads exactly that text: JSON string
//! escapes (`write_json_escaped`, as `serde_json` escapes), and Terraform's template sequences
//! doubled (`escape_template`: `${` → `$${`, `%{` → `%%{`). The bottom of lowering: `expr`
//! (Terraform code) and `json` (the values) both write their strings through it, and it
//! imports neither.

use std::borrow::Cow;

/// `${` → `$${` and `%{` → `%%{`: text that Terraform reads back as exactly itself.
pub(crate) fn escape_template(text: &str) -> Cow<'_, str> {
    if !text.contains("${") && !text.contains("%{") {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("${", "$${").replace("%{", "%%{"))
}

/// Which bytes a JSON string must escape: the control characters, `"` and `\`.
// Constant indexes into a 256-entry table, evaluated at compile time.
#[allow(clippy::indexing_slicing)]
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A Terraform string holding exactly `text`: a JSON string literal (see
/// `write_json_string`) whose template sequences are escaped (`${` → `$${`, `%{` → `%%{`).
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.push('"');
    write_escaped(out, text);
    out.push('"');
}

/// The inside of a Terraform string holding exactly `text` (see `write_string`).
pub(crate) fn write_escaped(out: &mut String, text: &str) {
    if text.contains("${") || text.contains("%{") {
        write_json_escaped(out, &escape_template(text));
    } else {
        write_json_escaped(out, text);
    }
}

/// A JSON string literal, escaped as `serde_json` escapes it: `"` and `\`, the short forms
/// `\b \f \n \r \t`, other control characters as `\u00xx`; everything else as it is.
/// Only for text that is not read as a Terraform template (the source map, and the inside of
/// a compact value, which becomes a template as a whole).
pub(crate) fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    write_json_escaped(out, text);
    out.push('"');
}

/// The inside of a JSON string literal (see `write_json_string`).
pub(crate) fn write_json_escaped(out: &mut String, text: &str) {
    // Nearly every string needs no escape: find out in one pass without branches, which the
    // compiler vectorizes.
    let clean = text.as_bytes().iter().fold(0u8, |dirty, &b| {
        dirty | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
    }) == 0;
    if clean {
        out.push_str(text);
        return;
    }
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        if NEEDS_ESCAPE.get(usize::from(byte)) != Some(&true) {
            continue;
        }
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(plain..at).unwrap_or_default());
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            for nibble in [byte >> 4, byte & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        } else {
            out.push_str(escape);
        }
        plain = at + 1;
    }
    out.push_str(text.get(plain..).unwrap_or_default());
}
