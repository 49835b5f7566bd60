//! A check before text extraction: no form XObject may draw itself, directly or through others, and
//! forms may nest at most [`MAX_FORM_DEPTH`] deep. `pdf-extract` 0.12 interprets a form's `Do` by
//! recursing into it without a bound, so a 1 KB PDF whose form draws itself overflows the stack (issue
//! 12). The isolated reader contains that crash; this check turns the known case into a clear error
//! before it happens, in any process.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::error::ErrorKind;

/// Deepest nesting of form XObjects accepted. Real documents nest a handful deep (a logo inside a
/// letterhead inside a page template).
pub const MAX_FORM_DEPTH: usize = 32;

/// Resources in scope: the dictionary and an id naming it (its own id, or that of the object it is
/// written inline in).
type Scope<'a> = (ObjectId, &'a Dictionary);

/// Refuses a document with a self-drawing or too deeply nested form.
///
/// # Errors
/// [`ErrorKind::TooDeep`].
pub fn check(doc: &Document) -> Result<(), ErrorKind> {
    let mut done = HashSet::new();
    for page_id in doc.get_pages().into_values() {
        let Some(scope) = page_resources(doc, page_id) else {
            continue;
        };
        let content = doc.get_page_content(page_id).unwrap_or_default();
        walk(doc, &content, scope, &mut Vec::new(), &mut done)?;
    }
    Ok(())
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<(Option<ObjectId>, &'a Object)> {
    doc.dereference(o).ok()
}

/// A page's resources, its own or inherited from the page tree.
fn page_resources(doc: &Document, page_id: ObjectId) -> Option<Scope<'_>> {
    let mut node = page_id;
    for _ in 0..MAX_FORM_DEPTH {
        let dict = doc.get_dictionary(node).ok()?;
        if let Ok(r) = dict.get(b"Resources") {
            let (id, obj) = deref(doc, r)?;
            return Some((id.unwrap_or(node), obj.as_dict().ok()?));
        }
        node = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

/// Follows every `Do` of `content` drawn with resources `scope`; `path` holds the (form, scope)
/// states being drawn, `done` those fully checked.
fn walk<'a>(
    doc: &'a Document,
    content: &[u8],
    scope: Scope<'a>,
    path: &mut Vec<(ObjectId, ObjectId)>,
    done: &mut HashSet<(ObjectId, ObjectId)>,
) -> Result<(), ErrorKind> {
    // Most content streams draw no XObject; decoding them costs as much as extracting them.
    if !content.windows(2).any(|w| w == b"Do") {
        return Ok(());
    }
    let Ok(ops) = lopdf::content::Content::decode(content) else {
        return Ok(());
    };
    let xobjects = scope
        .1
        .get(b"XObject")
        .ok()
        .and_then(|x| deref(doc, x))
        .and_then(|(_, x)| x.as_dict().ok());
    for op in ops.operations.iter().filter(|op| op.operator == "Do") {
        let Some(form_id) = op
            .operands
            .first()
            .and_then(|n| n.as_name().ok())
            .and_then(|name| xobjects?.get(name).ok())
            .and_then(|x| x.as_reference().ok())
        else {
            continue;
        };
        let Ok(Object::Stream(form)) = doc.get_object(form_id) else {
            continue;
        };
        if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            continue;
        }
        let inner = match form.dict.get(b"Resources").ok().and_then(|r| deref(doc, r)) {
            Some((id, obj)) => match obj.as_dict() {
                Ok(d) => (id.unwrap_or(form_id), d),
                Err(_) => scope,
            },
            None => scope,
        };
        let state = (form_id, inner.0);
        if path.contains(&state) {
            return Err(ErrorKind::TooDeep);
        }
        if path.len() >= MAX_FORM_DEPTH {
            return Err(ErrorKind::TooDeep);
        }
        if !done.insert(state) {
            continue;
        }
        let bytes = form
            .decompressed_content()
            .unwrap_or_else(|_| form.content.clone());
        path.push(state);
        walk(doc, &bytes, inner, path, done)?;
        path.pop();
    }
    Ok(())
}
