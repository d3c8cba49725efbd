//! What a table or a CSV file of each kind of result can show: its columns, by name.
//!
//! `--columns` names them; each kind has a default set (the one shown without `--columns`) and
//! more that can be asked for. A cell is text for people: the appliance's value, or `-` when it
//! left the value out or sent `null`.

use vbazure::{LogEntry, ProtectedVm, Session, TimeSpan};

/// What the appliance left out or sent as `null`.
pub(crate) const ABSENT: &str = "-";

/// One column of a kind of row.
pub(crate) struct Column<R> {
    /// Its name for `--columns` and as a CSV header.
    pub name: &'static str,
    /// Its header in a table.
    pub header: &'static str,
    /// Whether it is shown when `--columns` is not given.
    pub default: bool,
    /// The cell of one row.
    pub cell: fn(&R) -> String,
}

/// A kind of result that can be a row of a table or of a CSV file.
pub(crate) trait Record: Sized + 'static {
    /// What the kind is called in messages ("session", "VM").
    const KIND: &'static str;
    /// Every column, the default ones first in the order shown.
    fn columns() -> &'static [Column<Self>];
}

/// `value`, or `-`.
pub(crate) fn shown(value: Option<&impl std::fmt::Display>) -> String {
    value.map_or_else(|| ABSENT.to_string(), ToString::to_string)
}

/// The duration for people (`2m 33.84s`), or `-` when the appliance sent none.
pub(crate) fn duration(session: &Session) -> String {
    span(session.execution_duration)
}

/// A time span for people (`2m 33.84s`), or `-`.
fn span(value: Option<TimeSpan>) -> String {
    value.map_or_else(|| ABSENT.to_string(), |d| format!("{d:#}"))
}

impl Record for Session {
    const KIND: &'static str = "session";
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                name: "id",
                header: "ID",
                default: true,
                cell: |s| s.id.clone(),
            },
            Column {
                name: "type",
                header: "TYPE",
                default: true,
                cell: |s| shown(s.session_type.as_ref()),
            },
            Column {
                name: "status",
                header: "STATUS",
                default: true,
                cell: |s| s.status.to_string(),
            },
            Column {
                name: "started",
                header: "STARTED",
                default: true,
                cell: |s| shown(s.execution_start_time.as_ref()),
            },
            Column {
                name: "duration",
                header: "DURATION",
                default: true,
                cell: duration,
            },
            Column {
                name: "stopped",
                header: "STOPPED",
                default: false,
                cell: |s| shown(s.execution_stop_time.as_ref()),
            },
            Column {
                name: "localized-type",
                header: "LOCALIZED TYPE",
                default: false,
                cell: |s| shown(s.localized_type.as_ref()),
            },
        ]
    }
}

/// A size for people, in powers of 1024: `512 B`, `1.5 GiB`, `20.0 GiB`.
pub(crate) fn size(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value.abs() >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The region's name: v8.1 sends it twice, flat and inside `region`.
pub(crate) fn region(vm: &ProtectedVm) -> Option<String> {
    vm.region_name.clone().or_else(|| {
        vm.region
            .as_ref()
            .and_then(|r| r.0.as_ref())
            .and_then(|r| r.name.clone())
    })
}

impl Record for ProtectedVm {
    const KIND: &'static str = "VM";
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                name: "id",
                header: "ID",
                default: true,
                cell: |vm| shown(vm.id.as_ref()),
            },
            Column {
                name: "name",
                header: "NAME",
                default: true,
                cell: |vm| shown(vm.name.as_ref()),
            },
            Column {
                name: "region",
                header: "REGION",
                default: true,
                cell: |vm| shown(region(vm).as_ref()),
            },
            Column {
                name: "last-backup",
                header: "LAST BACKUP",
                default: true,
                cell: |vm| shown(vm.last_backup.as_ref()),
            },
            Column {
                name: "azure-id",
                header: "AZURE ID",
                default: false,
                cell: |vm| shown(vm.azure_id.as_ref()),
            },
            Column {
                name: "size",
                header: "SIZE",
                default: false,
                cell: |vm| shown(vm.vm_size.as_ref()),
            },
            Column {
                name: "os",
                header: "OS",
                default: false,
                cell: |vm| shown(vm.os_type.as_ref()),
            },
            Column {
                name: "total-size-gb",
                header: "TOTAL GB",
                default: false,
                cell: |vm| shown(vm.total_size_in_gb.as_ref()),
            },
            Column {
                name: "availability-zone",
                header: "ZONE",
                default: false,
                cell: |vm| shown(vm.availability_zone.as_ref()),
            },
        ]
    }
}

impl Record for LogEntry {
    const KIND: &'static str = "log record";
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                name: "time",
                header: "TIME",
                default: true,
                cell: |e| shown(e.log_time.as_ref()),
            },
            Column {
                name: "status",
                header: "STATUS",
                default: true,
                cell: |e| e.status.to_string(),
            },
            Column {
                name: "message",
                header: "MESSAGE",
                default: true,
                // A message is one cell: a line break in it would end the row.
                cell: |e| {
                    e.message
                        .as_deref()
                        .unwrap_or_default()
                        .replace(['\r', '\n'], " ")
                },
            },
            Column {
                name: "resource-id",
                header: "RESOURCE ID",
                default: false,
                cell: |e| shown(e.resource_id.as_ref()),
            },
            Column {
                name: "started",
                header: "STARTED",
                default: false,
                cell: |e| shown(e.execution_start_time.as_ref()),
            },
            Column {
                name: "duration",
                header: "DURATION",
                default: false,
                cell: |e| span(e.execution_duration),
            },
        ]
    }
}

/// The columns to show: those named (in the order named), or the kind's defaults. An unknown
/// name is an error that lists the kind's columns.
pub(crate) fn chosen<R: Record>(
    names: Option<&[String]>,
) -> Result<Vec<&'static Column<R>>, String> {
    let all = R::columns();
    let Some(names) = names else {
        return Ok(all.iter().filter(|c| c.default).collect());
    };
    names
        .iter()
        .map(|name| {
            all.iter().find(|c| c.name == name).ok_or_else(|| {
                let known: Vec<&str> = all.iter().map(|c| c.name).collect();
                format!(
                    "--columns: a {} has no column `{name}`; its columns are {}",
                    R::KIND,
                    known.join(", ")
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_for_people() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(-512), "-512 B");
        assert_eq!(size(21_474_836_480), "20.0 GiB");
        assert_eq!(size(1_610_612_736), "1.5 GiB");
    }
}
