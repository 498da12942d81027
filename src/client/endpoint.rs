/// One API operation and its path parameters.
///
/// ```
/// use agoralia::client::Endpoint;
/// assert_eq!(Endpoint::Me.method(), "GET");
/// assert_eq!(Endpoint::Me.path(), "/me");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /me`: the tenant and the key's scopes.
    Me,
}

impl Endpoint {
    pub fn method(&self) -> &'static str {
        match self {
            Endpoint::Me => "GET",
        }
    }

    pub fn path(&self) -> String {
        match self {
            Endpoint::Me => "/me".to_owned(),
        }
    }
}
