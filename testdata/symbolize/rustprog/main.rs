// Test program for the DWARF symbolizer and the Rust demangler: generics,
// trait objects and closures give mangled names; -O inlines helpers.
use std::collections::HashMap;

trait Shape {
    fn area(&self) -> f64;
}

struct Square(f64);
struct Circle(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}
impl Shape for Circle {
    fn area(&self) -> f64 {
        3.14159 * self.0 * self.0
    }
}

#[inline(always)]
fn weight<T: Into<f64>>(x: T) -> f64 {
    x.into() * 1.5
}

#[inline(never)]
fn total(shapes: &[Box<dyn Shape>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

#[inline(never)]
fn count_words(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in text.split_whitespace() {
        *m.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    m
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mut shapes: Vec<Box<dyn Shape>> = Vec::new();
    for i in 0..n {
        if i % 2 == 0 {
            shapes.push(Box::new(Square(weight(i as u32))));
        } else {
            shapes.push(Box::new(Circle(weight(i as f32))));
        }
    }
    let words = count_words("the quick brown fox jumps over the lazy dog The End");
    let mut keys: Vec<_> = words.iter().collect();
    keys.sort();
    println!("{} {:?}", total(&shapes), keys.first());
}
