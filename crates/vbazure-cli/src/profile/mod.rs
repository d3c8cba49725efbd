//! `vbazure profile add|list|show|remove`: the profiles file, from the command line.

mod file;

use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::Serialize;

use file::Profile;
pub(crate) use file::Profiles;

use crate::args::{Global, ProfileCommand};
use crate::exit::Exit;
use crate::output::{shown, Column, Printer, Record};
use crate::token_cache::TokenCache;
use crate::Failure;

/// A profile with its name: a row of `profile list`, the object of `profile show`.
#[derive(Serialize)]
struct Named {
    name: String,
    #[serde(flatten)]
    profile: Profile,
}

impl Record for Named {
    const KIND: &'static str = "profile";
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                name: "name",
                header: "NAME",
                default: true,
                cell: |p| p.name.clone(),
            },
            Column {
                name: "url",
                header: "URL",
                default: true,
                cell: |p| p.profile.url.clone(),
            },
            Column {
                name: "username",
                header: "USER",
                default: true,
                cell: |p| shown(p.profile.username.as_ref()),
            },
            Column {
                name: "api-version",
                header: "API",
                default: true,
                cell: |p| shown(p.profile.api_version.as_ref()),
            },
            Column {
                name: "ca-cert",
                header: "CA CERTIFICATE",
                default: false,
                cell: |p| shown(p.profile.ca_cert.as_ref().map(|c| c.display()).as_ref()),
            },
            Column {
                name: "output",
                header: "OUTPUT",
                default: false,
                cell: |p| shown(p.profile.output.as_ref().map(output_name).as_ref()),
            },
            Column {
                name: "request-timeout",
                header: "TIMEOUT",
                default: false,
                cell: |p| shown(p.profile.request_timeout.as_ref()),
            },
        ]
    }
}

fn output_name(output: &crate::args::Output) -> String {
    use clap::ValueEnum;
    output
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string())
}

/// Runs a `profile` command; `matches` tell which flags were on the command line.
pub(crate) fn run(
    command: &ProfileCommand,
    global: &Global,
    matches: &ArgMatches,
    printer: &Printer,
) -> Result<Exit, Failure> {
    let mut profiles = Profiles::load()?;
    match command {
        ProfileCommand::Add { name, replace } => {
            check_name(name)?;
            let profile = from_command_line(global, matches)?;
            if profiles.profiles.contains_key(name) && !replace {
                return Err(Failure::new(
                    Exit::Usage,
                    format!(
                        "profile `{name}` exists in {}: add --replace to replace it",
                        profiles.path.display()
                    ),
                ));
            }
            profiles.put(name, profile)?;
            printer.summary(&format!(
                "profile `{name}` saved in {}",
                profiles.path.display()
            ));
        }
        ProfileCommand::List => {
            printer.check_columns::<Named>()?;
            let rows: Vec<Named> = profiles
                .profiles
                .iter()
                .map(|(name, profile)| Named {
                    name: name.clone(),
                    profile: profile.clone(),
                })
                .collect();
            printer.objects(&rows);
            printer.rows(&rows)?;
            if rows.is_empty() {
                printer.summary(&format!("no profiles in {}", profiles.path.display()));
            }
        }
        ProfileCommand::Show { name } => {
            let Some(name) = name.as_ref().or(global.profile.as_ref()) else {
                return Err(Failure::new(
                    Exit::Usage,
                    "profile show: name a profile (or set --profile / VBAZURE_PROFILE)".to_string(),
                ));
            };
            let Some(profile) = profiles.profiles.get(name) else {
                return Err(profiles.missing(name));
            };
            // Checked as a run would use it: a bad setting is reported here too.
            profile.check(name, &profiles.path)?;
            let named = Named {
                name: name.clone(),
                profile: profile.clone(),
            };
            let lines: Vec<String> = Named::columns()
                .iter()
                .map(|c| format!("{:<16} {}", c.name, (c.cell)(&named)))
                .collect();
            printer.one(&named, &lines.join("\n"))?;
        }
        ProfileCommand::Remove { name } => {
            check_name(name)?;
            profiles.remove(name)?;
            let cache = TokenCache::of_profile(Some(name))?;
            let removed = cache.remove().map_err(|e| {
                Failure::new(
                    Exit::Usage,
                    format!(
                        "profile `{name}` removed, but not its kept tokens {}: {e}",
                        cache.path().display()
                    ),
                )
            })?;
            let tokens = if removed { " and its kept tokens" } else { "" };
            printer.summary(&format!(
                "profile `{name}`{tokens} removed from {}",
                profiles.path.display()
            ));
        }
    }
    Ok(Exit::Ok)
}

/// The profile the flags on the command line describe; a password, token, --insecure or
/// --mock is refused (a profile holds none of them).
fn from_command_line(global: &Global, matches: &ArgMatches) -> Result<Profile, Failure> {
    let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    let raw = |id: &str| {
        matches
            .get_raw(id)
            .filter(|_| given(id))
            .and_then(|mut values| values.next())
            .map(|value| value.to_string_lossy().into_owned())
    };
    let usage = |message: &str| Err(Failure::new(Exit::Usage, message.to_string()));
    if global.token.is_some() {
        return usage(
            "profile add: a profile never holds a token (or a password); pass the token with \
             VBAZURE_TOKEN when you run a command",
        );
    }
    if global.insecure || global.mock {
        return usage("profile add: --insecure and --mock are for one run, not saved in a profile");
    }
    let Some(url) = global.url.clone().filter(|_| given("url")) else {
        return usage("profile add: give the appliance's --url on the command line");
    };
    // The URL is checked as a client would check it, so that a bad one is found now.
    if let Err(e) = vbazure::Appliance::builder(url.as_str())
        .access_token("check")
        .build()
    {
        return Err(Failure::new(Exit::Usage, format!("profile add: {e}")));
    }
    let ca_cert = match global.ca_cert.clone().filter(|_| given("ca_cert")) {
        Some(path) => Some(std::path::absolute(&path).map_err(|e| {
            Failure::new(
                Exit::Usage,
                format!("profile add: --ca-cert {}: {e}", path.display()),
            )
        })?),
        None => None,
    };
    if let Some(path) = &ca_cert {
        if !path.is_file() {
            return Err(Failure::new(
                Exit::Usage,
                format!("profile add: --ca-cert {}: no such file", path.display()),
            ));
        }
    }
    Ok(Profile {
        url,
        username: global.username.clone().filter(|_| given("username")),
        // As written on the command line (clap has checked them).
        api_version: raw("api_version"),
        ca_cert,
        output: global.output.filter(|_| given("output")),
        request_timeout: raw("request_timeout"),
    })
}

/// That a profile name can be a file name and a TOML key as it is.
pub(crate) fn check_name(name: &str) -> Result<(), Failure> {
    let fine = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if fine {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::Usage,
            format!(
                "profile name {name:?}: use 1 to 64 letters, digits, - and _ (it names a file)"
            ),
        ))
    }
}
