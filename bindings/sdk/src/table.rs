//! The method table (`bindings/sdk/methods.json`, compiled in): every AipFace method of PyPI `baidu-aip`
//! 4.16.13, npm `baidu-aip-sdk` 4.16.16, the Java SDK 4.11.1 and the C# SDK 3.6.11, its names in each SDK,
//! its positional arguments and its API method.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const METHODS_JSON: &str = include_str!("../methods.json");

/// Which SDK's conventions a call follows: they differ in names and in how options meet arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `aip.AipFace`: `data.update(options)`, so an option overrides an argument of the same key.
    Python,
    /// `baidu-aip-sdk`: `objectTools.merge(param, options)`, so an argument overrides an option.
    Node,
    /// `com.baidu.aip.face.AipFace`: `request.addBody(options)` after the arguments, so an option overrides.
    Java,
    /// `Baidu.Aip.Face.Face`: `aipReq.Bodys[key] = value` for each option after the arguments: an option
    /// overrides.
    CSharp,
}

impl Dialect {
    /// The dialect by its name in the C ABI and the bindings: `python`, `node`, `java`, `csharp`.
    pub fn parse(name: &str) -> Option<Dialect> {
        match name {
            "python" => Some(Dialect::Python),
            "node" => Some(Dialect::Node),
            "java" => Some(Dialect::Java),
            "csharp" => Some(Dialect::CSharp),
            _ => None,
        }
    }

    /// Whether an option replaces a positional argument of the same key (Node alone keeps the argument).
    pub fn options_override_arguments(self) -> bool {
        self != Dialect::Node
    }
}

/// How the request is made from the arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    /// One JSON object: each argument under its key, then the options.
    #[default]
    Object,
    /// The single argument is the request itself (`match`, `faceverify` take a list of images).
    Array,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkMethod {
    pub python: Option<String>,
    pub node: Vec<String>,
    pub java: Option<String>,
    pub csharp: Option<String>,
    pub api: String,
    pub args: Vec<String>,
    #[serde(default)]
    pub python_args: Option<Vec<String>>,
    #[serde(default)]
    pub body: Body,
    #[serde(default)]
    pub options: Option<bool>,
    #[serde(default)]
    pub node_options: Option<bool>,
}

impl SdkMethod {
    /// Whether the method ends with an `options` parameter in this SDK.
    pub fn takes_options(&self, dialect: Dialect) -> bool {
        let default = self.options.unwrap_or(self.body == Body::Object);
        match dialect {
            Dialect::Node => self.node_options.unwrap_or(default),
            _ => default,
        }
    }

    /// The Python parameter names of the positional arguments.
    pub fn python_params(&self) -> &[String] {
        self.python_args.as_deref().unwrap_or(&self.args)
    }

    pub fn has_name(&self, dialect: Dialect, name: &str) -> bool {
        match dialect {
            Dialect::Python => self.python.as_deref() == Some(name),
            Dialect::Node => self.node.iter().any(|n| n == name),
            Dialect::Java => self.java.as_deref() == Some(name),
            Dialect::CSharp => self.csharp.as_deref() == Some(name),
        }
    }
}

#[derive(Deserialize)]
struct Table {
    methods: Vec<SdkMethod>,
}

/// Every method of the table, in the table's order.
pub fn methods() -> &'static [SdkMethod] {
    static METHODS: OnceLock<Vec<SdkMethod>> = OnceLock::new();
    METHODS.get_or_init(|| {
        let table: Table =
            serde_json::from_str(METHODS_JSON).expect("methods.json is valid (checked by tests)");
        table.methods
    })
}

/// One method as an SDK's class shows it: its name, its positional parameters, whether `options` follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassMethod {
    pub name: String,
    pub params: Vec<String>,
    pub options: bool,
}

/// The methods of `dialect`'s AipFace class (Node: one per name, aliases included; Node, Java and C#
/// parameters in camelCase as those SDKs name them).
pub fn class_methods(dialect: Dialect) -> Vec<ClassMethod> {
    let mut out = Vec::new();
    for m in methods() {
        let options = m.takes_options(dialect);
        match dialect {
            Dialect::Python => out.extend(m.python.iter().map(|name| ClassMethod {
                name: name.clone(),
                params: m.python_params().to_vec(),
                options,
            })),
            Dialect::Node => out.extend(m.node.iter().map(|name| ClassMethod {
                name: name.clone(),
                params: m.args.iter().map(|a| camel_case(a)).collect(),
                options,
            })),
            Dialect::Java | Dialect::CSharp => {
                let name = if dialect == Dialect::Java {
                    &m.java
                } else {
                    &m.csharp
                };
                out.extend(name.iter().map(|name| ClassMethod {
                    name: name.clone(),
                    params: m.args.iter().map(|a| camel_case(a)).collect(),
                    options,
                }))
            }
        }
    }
    out
}

/// [`class_methods`] as JSON, what the bindings build their classes from.
pub fn class_methods_json(dialect: Dialect) -> String {
    serde_json::to_string(&class_methods(dialect)).expect("plain strings serialize")
}

fn camel_case(key: &str) -> String {
    let mut parts = key.split('_');
    let mut out = parts.next().unwrap_or_default().to_string();
    for p in parts {
        let mut chars = p.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The method that SDK `dialect` calls `name`.
pub fn find(dialect: Dialect, name: &str) -> Option<&'static SdkMethod> {
    methods().iter().find(|m| m.has_name(dialect, name))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn table_parses_and_names_are_unique_per_sdk() {
        let mut python = HashSet::new();
        let mut node = HashSet::new();
        let mut java = HashSet::new();
        let mut csharp = HashSet::new();
        for m in methods() {
            if let Some(p) = &m.python {
                assert!(python.insert(p.clone()), "python name {p} twice");
                assert_eq!(
                    m.python_params().len(),
                    m.args.len(),
                    "{p}: python_args length"
                );
            }
            for n in &m.node {
                assert!(node.insert(n.clone()), "node name {n} twice");
            }
            if let Some(j) = &m.java {
                assert!(java.insert(j.clone()), "java name {j} twice");
            }
            if let Some(c) = &m.csharp {
                assert!(csharp.insert(c.clone()), "csharp name {c} twice");
            }
            if m.body == Body::Array {
                assert_eq!(m.args.len(), 1, "{}: an array body is one argument", m.api);
            }
        }
        assert_eq!(python.len(), 32);
        assert!(node.contains("getGrouplist") && node.contains("mutilSearch"));
        assert!(java.contains("videoFaceliveness") && java.contains("idMatch"));
        assert!(csharp.contains("UserAdd") && csharp.contains("GroupGetusers"));
        for d in ["python", "node", "java", "csharp"] {
            assert!(Dialect::parse(d).is_some());
        }
    }

    #[test]
    fn option_parameters_follow_each_sdk() {
        assert!(find(Dialect::Python, "detect")
            .unwrap()
            .takes_options(Dialect::Python));
        assert!(!find(Dialect::Python, "match")
            .unwrap()
            .takes_options(Dialect::Python));
        let idmatch = find(Dialect::Node, "facePersonIdmatchV3").unwrap();
        assert!(idmatch.takes_options(Dialect::Python));
        assert!(!idmatch.takes_options(Dialect::Node));
        assert_eq!(
            find(Dialect::Node, "getGrouplist")
                .unwrap()
                .python
                .as_deref(),
            Some("getGroupList")
        );
    }

    #[test]
    fn classes_list_every_name_with_its_parameters() {
        let python = class_methods(Dialect::Python);
        let detect = python.iter().find(|m| m.name == "detect").unwrap();
        assert_eq!(
            (detect.params.as_slice(), detect.options),
            (&["image".to_string(), "image_type".to_string()][..], true)
        );
        let node = class_methods(Dialect::Node);
        let search = node.iter().find(|m| m.name == "faceMultiSearchV3").unwrap();
        assert_eq!(search.params, ["image", "imageType", "groupIdList"]);
        assert!(node.iter().any(|m| m.name == "multiSearch"));
        assert_eq!(camel_case("id_card_number"), "idCardNumber");
    }
}
