//! `--jq EXPR`: a jq filter applied to every JSON object a command prints, results written as
//! `jq -r` writes them (strings raw, anything else compact JSON, one per line).
//!
//! The filter is compiled once, before any request is sent or input read (a bad expression is a
//! usage error naming its position), and run by the jaq crates: no `jq` binary is needed.

use std::cell::Cell;
use std::io::{self, Write};

use jaq_core::data::JustLut;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars};
use jaq_json::Val;
use serde::Serialize;

use crate::error::Error;
use crate::text::bounded;

type Data = JustLut<Val>;

/// jq's `@csv` and `@tsv`, which the jaq libraries leave to the jaq binary: native filters
/// (defined in jq they cost more than the rest of a run), with jq 1.7's escapes and refusals.
const FORMATS: &str = "def @csv: kiriminaja_csv; def @tsv: kiriminaja_tsv;";

#[derive(Clone, Copy)]
enum Row {
    Csv,
    Tsv,
}

fn row_filters() -> [jaq_core::native::Fun<Data>; 2] {
    use jaq_core::native::{bome, run, v};
    [
        run(("kiriminaja_csv", v(0), |cv| bome(row(Row::Csv, &cv.1)))),
        run(("kiriminaja_tsv", v(0), |cv| bome(row(Row::Tsv, &cv.1)))),
    ]
}

/// One `@csv` or `@tsv` line from an array of strings, numbers, booleans and nulls.
fn row(format: Row, value: &Val) -> Result<Val, jaq_core::Error<Val>> {
    let kind = match format {
        Row::Csv => "csv",
        Row::Tsv => "tsv",
    };
    let Val::Arr(cells) = value else {
        return Err(jaq_core::Error::str(format!(
            "{} ({}) cannot be {kind}-formatted, only an array can be",
            type_name(value),
            bounded(&value.to_string())
        )));
    };
    let mut line = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(match format {
                Row::Csv => b',',
                Row::Tsv => b'\t',
            });
        }
        match (cell, format) {
            (Val::TStr(text) | Val::BStr(text), Row::Csv) => {
                line.push(b'"');
                for &byte in text.iter() {
                    if byte == b'"' {
                        line.push(b'"');
                    }
                    line.push(byte);
                }
                line.push(b'"');
            }
            (Val::TStr(text) | Val::BStr(text), Row::Tsv) => {
                for &byte in text.iter() {
                    match byte {
                        b'\\' => line.extend_from_slice(b"\\\\"),
                        b'\t' => line.extend_from_slice(b"\\t"),
                        b'\n' => line.extend_from_slice(b"\\n"),
                        b'\r' => line.extend_from_slice(b"\\r"),
                        _ => line.push(byte),
                    }
                }
            }
            (Val::Null, _) => {}
            (Val::Bool(_) | Val::Num(_), _) => line.extend_from_slice(cell.to_string().as_bytes()),
            (Val::Arr(_) | Val::Obj(_), _) => {
                return Err(jaq_core::Error::str(format!(
                    "{} ({}) is not valid in a {kind} row",
                    type_name(cell),
                    bounded(&cell.to_string())
                )));
            }
        }
    }
    Ok(Val::utf8_str(line))
}

fn type_name(value: &Val) -> &'static str {
    match value {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

/// A compiled `--jq` expression, and how many objects it failed on.
pub struct Jq {
    filter: jaq_core::Filter<Data>,
    /// Objects filtered so far, to name one that has no `query`.
    seen: Cell<u64>,
    failures: Cell<u64>,
    /// Where a runtime error is reported (the caller's stderr), as it happens.
    report: fn(&str),
}

impl Jq {
    /// Compiles `expr` with jq's standard library. The error names the line and column.
    /// A runtime error on an object is passed to `report`.
    pub fn compile(expr: &str, report: fn(&str)) -> Result<Jq, Error> {
        // As jq: an empty program is the identity.
        let expr = if expr.trim().is_empty() { "." } else { expr };
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .chain(load::parse(FORMATS, |p| p.defs()).unwrap_or_default());
        // No `env`: the environment holds the API key, which is never printed.
        let funs = jaq_core::funs::<Data>()
            .chain(jaq_std::funs().filter(|(name, ..)| *name != "env"))
            .chain(jaq_json::funs())
            .chain(row_filters());
        let arena = Arena::default();
        let program = File {
            code: expr,
            path: (),
        };
        let modules = Loader::new(defs)
            .load(&arena, program)
            .map_err(|errs| usage(expr, load_error(expr, errs)))?;
        let filter =
            Compiler::default()
                .with_funs(funs)
                .compile(modules)
                .map_err(|errs| {
                    let first = errs.into_iter().flat_map(|(_, errs)| errs).next().map(
                        |(name, undefined)| {
                            let at = position(expr, name);
                            format!("undefined {} `{name}` at {at}", undefined.as_str())
                        },
                    );
                    usage(expr, first)
                })?;
        Ok(Jq {
            filter,
            seen: Cell::new(0),
            failures: Cell::new(0),
            report,
        })
    }

    /// Runs the filter on one value and writes its results. A runtime error is reported on
    /// stderr and counted; the next value is filtered as usual.
    pub fn write<T: Serialize + ?Sized>(&self, out: &mut dyn Write, value: &T) -> io::Result<()> {
        // Our values go through their JSON text: serde_json writes it and jaq's own parser
        // reads it, keeping numbers exactly as the plain `--json` output has them.
        let text = serde_json::to_vec(value).map_err(io::Error::other)?;
        let input = jaq_json::read::parse_single(&text).map_err(io::Error::other)?;
        self.write_val(out, input)
    }

    fn write_val(&self, out: &mut dyn Write, input: Val) -> io::Result<()> {
        self.seen.set(self.seen.get() + 1);
        // A shared reference (objects are reference-counted), to name the object on an error.
        let object = input.clone();
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        for result in self.filter.id.run((ctx, input)) {
            match result {
                Ok(Val::TStr(text)) => {
                    out.write_all(&text)?;
                    out.write_all(b"\n")?;
                }
                Ok(value) => {
                    jaq_json::write::write(out, &jaq_json::write::Pp::default(), 0, &value)?;
                    out.write_all(b"\n")?;
                }
                Err(exn) => {
                    // `halt` and `halt_error` stop the filter for this object only: the process
                    // exit is ours to decide.
                    let message = match exn.get_err() {
                        Ok(err) => err.to_string(),
                        Err(_) => "halt is not supported in --jq".to_owned(),
                    };
                    self.failures.set(self.failures.get() + 1);
                    let about =
                        query_of(&object).unwrap_or_else(|| format!("object {}", self.seen.get()));
                    (self.report)(&format!("--jq ({about}): {}", bounded(&message)));
                    break;
                }
            }
        }
        Ok(())
    }

    /// How many objects the filter failed on so far.
    pub fn failures(&self) -> u64 {
        self.failures.get()
    }
}

/// The `query` of an object (track and watch lines have one), to say which object failed.
fn query_of(value: &Val) -> Option<String> {
    let Val::Obj(map) = value else { return None };
    match map.get(&Val::utf8_str(b"query".to_vec())) {
        Some(Val::TStr(query)) => Some(bounded(&String::from_utf8_lossy(query))),
        _ => None,
    }
}

fn usage(expr: &str, detail: Option<String>) -> Error {
    let detail = detail.unwrap_or_else(|| "not a jq expression".to_owned());
    Error::Usage(format!(
        "invalid --jq expression {:?}: {detail}",
        bounded(expr)
    ))
}

/// The first lexing or parsing error, with its position.
fn load_error(expr: &str, errs: load::Errors<&str, ()>) -> Option<String> {
    let (_, err) = errs.into_iter().next()?;
    match err {
        load::Error::Lex(errs) => errs.first().map(|(expected, found)| {
            let expected = match expected {
                load::lex::Expect::Digit => "a digit",
                load::lex::Expect::Ident => "an identifier",
                load::lex::Expect::Delim("(") => "a closing parenthesis",
                load::lex::Expect::Delim("[") => "a closing bracket",
                load::lex::Expect::Delim("{") => "a closing brace",
                load::lex::Expect::Delim("\"") => "a closing quote",
                load::lex::Expect::Escape => "an escape sequence",
                load::lex::Expect::Unicode => "a unicode escape",
                _ => "a token",
            };
            format!("expected {expected} at {}", position(expr, found))
        }),
        load::Error::Parse(errs) => errs.first().map(|(expected, found)| {
            let found_text = if found.is_empty() {
                "the end".to_owned()
            } else {
                format!("`{}`", bounded(found))
            };
            format!(
                "expected {} at {}, found {found_text}",
                expected.as_str(),
                position(expr, found)
            )
        }),
        load::Error::Io(errs) => errs
            .first()
            .map(|(path, message)| format!("cannot import {path}: {message}")),
    }
}

/// `column 7` (or `line 2, column 3`) of `part`, a slice of `whole`; 1-based, in characters.
fn position(whole: &str, part: &str) -> String {
    let start = (part.as_ptr() as usize)
        .checked_sub(whole.as_ptr() as usize)
        .filter(|start| *start <= whole.len() && whole.is_char_boundary(*start))
        .unwrap_or(whole.len());
    let before = &whole[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    if whole.contains('\n') {
        format!("line {line}, column {column}")
    } else {
        format!("column {column}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expr: &str, input: &str) -> (String, u64) {
        let jq = Jq::compile(expr, |_| {}).unwrap();
        let value: serde_json::Value = serde_json::from_str(input).unwrap();
        let mut out = Vec::new();
        jq.write(&mut out, &value).unwrap();
        (String::from_utf8(out).unwrap(), jq.failures())
    }

    #[test]
    fn prints_like_jq_raw() {
        let input = r#"{"query":"OID-1","n":10000,"f":1.5,"s":"a\tb","o":{"k":[1,null,true]}}"#;
        assert_eq!(run(".query", input).0, "OID-1\n");
        assert_eq!(run(".n, .f", input).0, "10000\n1.5\n");
        assert_eq!(run(".o", input).0, "{\"k\":[1,null,true]}\n");
        assert_eq!(run(".missing", input).0, "null\n");
        assert_eq!(run("[.query, .s] | @tsv", input).0, "OID-1\ta\\tb\n");
        assert_eq!(run("empty", input).0, "");
        assert_eq!(run("[1, [2]] | @csv", input).1, 1);
        assert_eq!(run("{} | @tsv", input).1, 1);
        assert_eq!(
            run(
                r#"[.query, 1, null, true, "x\\y\r\n\"z"] | @tsv, @csv"#,
                input
            )
            .0,
            "OID-1\t1\t\ttrue\tx\\\\y\\r\\n\"z\n\"OID-1\",1,,true,\"x\\y\r\n\"\"z\"\n"
        );
        assert_eq!(run("{query}", input).0, "{\"query\":\"OID-1\"}\n");
        assert_eq!(run(".o.k[]", input).0, "1\nnull\ntrue\n");
    }

    #[test]
    fn a_runtime_error_ends_this_object_only() {
        let (out, failures) = run(".query, (.n | .[]), .f", r#"{"query":"q","n":1,"f":2}"#);
        assert_eq!(out, "q\n");
        assert_eq!(failures, 1);
        let (out, failures) = run("halt", "{}");
        assert_eq!((out.as_str(), failures), ("", 1));
    }

    #[test]
    fn bad_expressions_name_the_position() {
        let message = |expr: &str| Jq::compile(expr, |_| {}).err().unwrap().to_string();
        assert!(
            message(".query |").contains("column 9"),
            "{}",
            message(".query |")
        );
        assert!(message(".a | nope").contains("undefined filter `nope` at column 6"));
        assert!(message("[.a").contains("column"), "{}", message("[.a"));
        assert!(
            message(".a |\n .b )").contains("line 2, column 5"),
            "{}",
            message(".a |\n .b )")
        );
        assert!(
            message("$x").contains("undefined variable"),
            "{}",
            message("$x")
        );
    }
}
