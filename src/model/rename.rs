//! Renaming a block everywhere in a model (`Stack::rename`), references included: how a stack
//! is lowered as it was before a rename, so `moved` blocks pair old and new addresses.

use super::*;

impl<T> Id<T> {
    /// Points the reference at `to` when it names `from` (for `Stack::rename`).
    fn rename(&mut self, from: &Name, to: &Name) {
        if &self.name == from {
            self.name = to.clone();
        }
    }
}

impl Stack {
    /// Renames the block `from` to `to` everywhere in the model, references included. Used to
    /// lower a stack as it was before a rename, so that `moved` blocks can pair each resource's
    /// old address with its new one.
    pub fn rename(&mut self, from: &Name, to: &Name) {
        let fix = |name: &mut Name| {
            if name == from {
                *name = to.clone();
            }
        };
        for vpn in &mut self.vpns {
            fix(&mut vpn.name);
        }
        for secret in &mut self.secrets {
            fix(&mut secret.name);
        }
        for certificate in &mut self.certificates {
            fix(&mut certificate.name);
        }
        for network in &mut self.networks {
            fix(&mut network.name);
            if let Some(vpn) = &mut network.vpn {
                vpn.rename(from, to);
            }
        }
        for db in &mut self.databases {
            fix(&mut db.name);
            db.placement.network.rename(from, to);
            db.password.secret.rename(from, to);
            if let Some(login) = &mut db.reader_login {
                login.password.secret.rename(from, to);
            }
        }
        for service in &mut self.services {
            fix(&mut service.name);
            service.placement.network.rename(from, to);
            service.reads.iter_mut().for_each(|r| r.rename(from, to));
            service
                .read_only
                .iter_mut()
                .for_each(|r| r.rename(from, to));
            if let Some(exposure) = &mut service.exposure {
                exposure.placement.network.rename(from, to);
                if let Listener::Https(certificate) = &mut exposure.listener {
                    certificate.rename(from, to);
                }
            }
            if let Some(route) = &mut service.route {
                route.via.rename(from, to);
            }
        }
        for replication in &mut self.replications {
            fix(&mut replication.name);
            replication.target.rename(from, to);
            replication.source.vpn.rename(from, to);
            replication.source.password.secret.rename(from, to);
        }
        for cutover in &mut self.cutovers {
            fix(&mut cutover.name);
            cutover.service.rename(from, to);
            if let Some(gate) = &mut cutover.gate {
                for condition in &mut gate.conditions {
                    condition.replication.rename(from, to);
                }
                for condition in &mut gate.service {
                    condition.service.rename(from, to);
                }
            }
        }
        for data_cutover in &mut self.data_cutovers {
            fix(&mut data_cutover.name);
            data_cutover.database.rename(from, to);
            data_cutover.replication.rename(from, to);
            data_cutover.fallback.login.password.secret.rename(from, to);
        }
        for dashboard in &mut self.dashboards {
            fix(&mut dashboard.name);
        }
        for output in &mut self.outputs {
            match &mut output.value {
                OutputValue::LoadBalancerDns(n) => n.rename(from, to),
                OutputValue::DatabaseEndpoint(n) | OutputValue::DatabaseReaderEndpoint(n) => {
                    n.rename(from, to)
                }
                OutputValue::ReplicationStatus(n) => n.rename(from, to),
                OutputValue::NetworkId(n) => n.rename(from, to),
                OutputValue::VpnConnectionId(n) => n.rename(from, to),
            }
        }
        if &self.name == from {
            self.name = to.clone();
        }
    }
}
