//! Leads of a stream cut into `POST /leads:upsert` bodies as they are read,
//! so that an import sends the text the reader wrote: no lead becomes a JS
//! object, is serialized again or validated twice on its way out.

/// Writes leads into bodies `{"campaign_id":N,"items":[...]}` of `size` leads each.
pub(crate) struct Batcher {
    /// `{"campaign_id":N,"items":[`
    prefix: String,
    size: usize,
    body: String,
    count: usize,
}

impl Batcher {
    pub(crate) fn new(campaign_id: u64, size: usize) -> Batcher {
        Batcher {
            prefix: format!("{{\"campaign_id\":{campaign_id},\"items\":["),
            size: size.max(1),
            body: String::new(),
            count: 0,
        }
    }

    /// Adds one lead, written by `write` as a JSON object; a full body goes to `done`.
    pub(crate) fn add(&mut self, write: impl FnOnce(&mut String), done: &mut Vec<String>) {
        if self.count == 0 {
            self.body.push_str(&self.prefix);
        } else {
            self.body.push(',');
        }
        write(&mut self.body);
        self.count += 1;
        if self.count == self.size {
            self.close(done);
        }
    }

    /// Closes the open body, if it has a lead (the file's last, shorter batch).
    pub(crate) fn close(&mut self, done: &mut Vec<String>) {
        if self.count > 0 {
            self.body.push_str("]}");
            done.push(std::mem::take(&mut self.body));
            self.count = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_bodies_of_the_size_and_closes_the_last() {
        let mut b = Batcher::new(7, 2);
        let mut done = Vec::new();
        for i in 0..5 {
            b.add(
                |out| out.push_str(&format!("{{\"external_id\":\"l{i}\"}}")),
                &mut done,
            );
        }
        assert_eq!(done.len(), 2);
        b.close(&mut done);
        b.close(&mut done);
        assert_eq!(
            done[0],
            r#"{"campaign_id":7,"items":[{"external_id":"l0"},{"external_id":"l1"}]}"#
        );
        assert_eq!(
            done[2],
            r#"{"campaign_id":7,"items":[{"external_id":"l4"}]}"#
        );
        assert_eq!(done.len(), 3);
    }
}
