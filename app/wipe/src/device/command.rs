//! Sending the chosen command and following it to the end.

use std::fs::File;
use std::time::Instant;

use super::{POLL, PhaseProgress, UNITS, ata_cmd, nvme_cmd};
use crate::plan::{AtaSanitizeAction, Method, NvmeSanitizeAction, Plan};
use crate::progress::Phase;
use crate::report::DeviceCommandRecord;

/// Executes the plan's device command; never an error: what happened is in the record.
pub(crate) fn execute(
    plan: &Plan,
    device: &File,
    progress: &mut PhaseProgress<'_>,
) -> DeviceCommandRecord {
    let started = Instant::now();
    progress.report(Phase::DeviceCommand, 2, 0);
    let mut record = match plan.method {
        Method::NvmeSanitize { action } => nvme_sanitize(device, action, progress),
        Method::NvmeFormat { crypto_erase } => nvme_format(plan, device, crypto_erase),
        Method::AtaSanitize { action } => ata_sanitize(device, action, progress),
        Method::Overwrite => DeviceCommandRecord::not_sent(plan.method, "not a device command"),
    };
    record.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    progress.report(Phase::DeviceCommand, 2, UNITS);
    record
}

fn nvme_sanitize(
    device: &File,
    action: NvmeSanitizeAction,
    progress: &mut PhaseProgress<'_>,
) -> DeviceCommandRecord {
    let cdw10 = nvme_cmd::sanitize_cdw10(action);
    let mut record = DeviceCommandRecord::sent(
        format!("NVMe Sanitize (84h), {action:?}"),
        format!("CDW10={cdw10:#010x}"),
        "Sanitize acts on every namespace of the NVM subsystem, not only the one probed.",
    );
    if let Err(e) = nvme_cmd::send_sanitize(device, action) {
        record.status = e;
        return record;
    }
    loop {
        std::thread::sleep(POLL);
        match nvme_cmd::sanitize_status(device) {
            Ok(s) if s.state == nvme_cmd::SanitizeState::InProgress => {
                progress.report(Phase::DeviceCommand, 2, u64::from(s.progress));
            }
            Ok(s) => {
                record.completed = matches!(
                    s.state,
                    nvme_cmd::SanitizeState::Completed
                        | nvme_cmd::SanitizeState::CompletedNoDeallocate
                ) && s.last_cdw10 & 0x7 == cdw10 & 0x7;
                record.status = format!("Sanitize Status log: {:?}", s.state);
                return record;
            }
            Err(e) => {
                record.status = format!("Sanitize Status log unreadable: {e}");
                return record;
            }
        }
    }
}

fn nvme_format(plan: &Plan, device: &File, crypto_erase: bool) -> DeviceCommandRecord {
    let ses = if crypto_erase { 2 } else { 1 };
    let all = plan
        .probe
        .nvme
        .as_ref()
        .is_some_and(|c| c.format_erase_all_namespaces);
    let scope = if all {
        "FNA bit 1: the secure erase applies to all namespaces of the controller; all were erased."
    } else {
        "Only this namespace was formatted; other namespaces of the controller keep their data."
    };
    let mut record = DeviceCommandRecord::sent(
        format!("NVMe Format NVM (80h), SES={ses}"),
        String::new(),
        scope,
    );
    let prepared = nvme_cmd::namespace_id(device).and_then(|nsid| {
        let format = nvme_cmd::identify_namespace(device, nsid)?;
        Ok((nsid, nvme_cmd::format_cdw10(format, ses)))
    });
    let (nsid, cdw10) = match prepared {
        Ok(p) => p,
        Err(e) => {
            record.status = e;
            return record;
        }
    };
    record.encoding = format!("NSID={nsid} CDW10={cdw10:#010x}");
    match nvme_cmd::send_format(device, nsid, cdw10) {
        Ok(()) => {
            record.completed = true;
            record.status = "Successful Completion".to_owned();
        }
        Err(e) => record.status = e,
    }
    record
}

fn ata_sanitize(
    device: &File,
    action: AtaSanitizeAction,
    progress: &mut PhaseProgress<'_>,
) -> DeviceCommandRecord {
    let registers = ata_cmd::sanitize_registers(action);
    let cdb = ata_cmd::pass_through_cdb(registers);
    let mut record = DeviceCommandRecord::sent(
        format!("ATA SANITIZE DEVICE (B4h), {action:?}"),
        format!("CDB {}", crate::keystream::hex(&cdb)),
        "SANITIZE acts on all user data of the device, including areas the host cannot address.",
    );
    match ata_cmd::send(device, registers) {
        Ok(r) if r.failed() => {
            record.status = format!("aborted (error register {:#04x})", r.error);
            return record;
        }
        Ok(_) => {}
        Err(e) => {
            record.status = e;
            return record;
        }
    }
    loop {
        std::thread::sleep(POLL);
        match ata_cmd::send(device, ata_cmd::status_registers()).map(|r| ata_cmd::parse_status(&r))
        {
            Ok(s) if s.in_progress => {
                progress.report(Phase::DeviceCommand, 2, u64::from(s.progress))
            }
            Ok(s) => {
                record.completed = s.completed_ok && !s.aborted;
                record.status = if record.completed {
                    "SANITIZE STATUS EXT: completed without error".to_owned()
                } else {
                    "SANITIZE STATUS EXT: sanitize failed".to_owned()
                };
                return record;
            }
            Err(e) => {
                record.status = format!("SANITIZE STATUS EXT unreadable: {e}");
                return record;
            }
        }
    }
}
