//! Fairness on a public page: a customer sees later customers answered first. A Fenwick
//! tree counts, per channel, the public first answers given to customers with a larger id.

#[derive(Default)]
pub(super) struct LaterAnswered {
    tree: Vec<u64>,
    values: Vec<u64>,
    total: u64,
}

impl LaterAnswered {
    pub(super) fn add(&mut self, id: usize) {
        if id >= self.values.len() {
            let size = (id + 1).next_power_of_two().max(1024);
            self.values.resize(size, 0);
            self.tree = vec![0; size + 1];
            for (i, v) in self.values.clone().into_iter().enumerate() {
                self.bump(i, v);
            }
        }
        self.values[id] += 1;
        self.bump(id, 1);
        self.total += 1;
    }
    fn bump(&mut self, id: usize, by: u64) {
        let mut i = id + 1;
        while i < self.tree.len() {
            self.tree[i] += by;
            i += i & i.wrapping_neg();
        }
    }
    /// Answers given to customers with a larger id than `id`.
    pub(super) fn after(&self, id: usize) -> u64 {
        let mut i = (id + 1).min(self.tree.len().saturating_sub(1));
        let mut upto = 0;
        while i > 0 {
            upto += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        self.total - upto
    }
}
