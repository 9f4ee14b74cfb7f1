//! `multi-service-stack`: one stack hosts 2+ services. Services are the values of the
//! configured tag keys on its resources (and the providers' `default_tags`) and the
//! calls of service modules (by module name).

use crate::profile::services::Service;
use crate::profile::{describe, Profiles};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};

pub struct MultiServiceStack;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::MultiServiceStack,
    category: Category::Structure,
    default_severity: Severity::Note,
    summary: "a stack hosts 2+ services (service tags or service module calls)",
    options: &[
        OptionSpec {
            name: "service_tags",
            default: OptDefault::StrList(&[
                "Service",
                "service",
                "App",
                "app",
                "Application",
                "application",
                "component",
            ]),
            doc: "tag/label keys whose value names the service a resource belongs to (first found wins)",
        },
        OptionSpec {
            name: "service_modules",
            default: OptDefault::StrList(&[
                "*service",
                "*-service-*",
                "service-*",
                "*-svc",
                "*microservice*",
                "*-app",
                "app-*",
                "*-api",
                "*webapp*",
            ]),
            doc: "globs over module names (last segment of the source) that deploy one service each",
        },
    ],
};

impl Rule for MultiServiceStack {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        Profiles::warm(cx)
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let profiles = Profiles::of(cx);
        for (i, stack) in cx.ws.stacks.iter().enumerate() {
            let Some(p) = profiles.stacks.get(i) else {
                continue;
            };
            if p.services.len() < 2 {
                continue;
            }
            let mut services: Vec<&Service> = p.services.iter().map(|(_, s)| s).collect();
            services.sort_by(|a, b| {
                b.resources
                    .len()
                    .cmp(&a.resources.len())
                    .then_with(|| a.name.cmp(&b.name))
            });
            let listed: Vec<String> = services.iter().map(|s| evidence(s)).collect();
            let message = format!(
                "{} hosts {} services: {}",
                stack.id,
                services.len(),
                listed.join("; ")
            );
            let help = "a multi-service stack is fine while one team owns and releases all of \
                        them together; otherwise give each service its own stack \
                        (single-service stacks), sharing the network or cluster through a \
                        shared-infrastructure stack, so a change to one cannot touch the others";
            let loc = stack.anchor.unwrap_or(services[0].loc);
            let mut f = Finding::new(&META, loc, message).in_stack(i).help(help);
            for s in &services {
                f = f.related(s.loc, format!("service {}", s.name));
            }
            out.push(f);
        }
    }
}

/// `checkout (module.checkout; tag Service on 12 resources)`.
fn evidence(s: &Service) -> String {
    let mut parts = Vec::new();
    if !s.modules.is_empty() {
        parts.push(s.modules.join(", "));
    }
    if !s.keys.is_empty() {
        let keys: Vec<&str> = s.keys.iter().map(String::as_str).collect();
        parts.push(format!(
            "tag {} on {}",
            keys.join("/"),
            describe::count(s.resources.len(), "resource")
        ));
    } else if !s.resources.is_empty() {
        parts.push(describe::count(s.resources.len(), "resource"));
    }
    format!("{} ({})", s.name, parts.join("; "))
}
