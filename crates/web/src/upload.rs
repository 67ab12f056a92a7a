//! Reading a multipart upload, once: the form's text fields and its file.
//!
//! Security role: the file is read chunk by chunk and never past its limit
//! (the route's body limit stops the whole body earlier still); a file over
//! its limit, or a body cut short, is reported as too big rather than half
//! read. A text field holding a NUL character — which nothing may store — is
//! refused with the same page and audit row as a form's (`AppError::nul_byte`).

use crate::error::{AppError, AppResult};
use axum::extract::Multipart;

/// The name of the file part in every upload form.
pub const FILE_FIELD: &str = "file";

/// How much an upload may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest file, in bytes.
    pub file_bytes: usize,
}

/// The file part of an upload: the name the browser gave and the bytes.
#[derive(Debug, Clone, Default)]
pub struct UploadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl UploadedFile {
    /// True when the form was sent without choosing a file.
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.bytes.is_empty()
    }
}

/// What an upload form sent.
#[derive(Debug, Default)]
pub struct Upload {
    /// The text fields, in the order sent.
    pub fields: Vec<(String, String)>,
    /// The file part, if the form had one (empty when no file was chosen).
    pub file: Option<UploadedFile>,
    /// The file was over its limit, or the body was cut short: nothing of it is kept.
    pub too_big: bool,
}

impl Upload {
    /// The first value of a text field, or "".
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The file's name and bytes (both empty when none was sent).
    pub fn file_or_empty(&self) -> (&str, &[u8]) {
        match &self.file {
            Some(f) => (f.name.as_str(), f.bytes.as_slice()),
            None => ("", &[]),
        }
    }
}

/// Reads a multipart body: every text field, and the `file` part up to
/// `limits.file_bytes`. Reading stops at a file that is too big or at a body
/// cut short (the route's limit), with `too_big` set.
pub async fn read_multipart(mut mp: Multipart, limits: Limits) -> AppResult<Upload> {
    let mut up = Upload::default();
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                // A body over the route's limit ends the reading here.
                tracing::info!(error = %e, "upload cut short");
                up.too_big = true;
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if name != FILE_FIELD {
            let value = field.text().await.unwrap_or_default();
            if value.contains('\0') || name.contains('\0') {
                return Err(AppError::nul_byte(&name));
            }
            up.fields.push((name, value));
            continue;
        }
        let mut file = UploadedFile {
            name: field.file_name().unwrap_or("").to_string(),
            bytes: Vec::new(),
        };
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if file.bytes.len() + chunk.len() > limits.file_bytes => {
                    up.too_big = true;
                    break;
                }
                Ok(Some(chunk)) => file.bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(_) => {
                    up.too_big = true;
                    break;
                }
            }
        }
        if up.too_big {
            file.bytes = Vec::new();
            up.file = Some(file);
            break;
        }
        up.file = Some(file);
    }
    Ok(up)
}
