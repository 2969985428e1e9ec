// SPDX-License-Identifier: MIT
// Seeded pseudo-random numbers (mulberry32), so that one seed replays a run.
'use strict';

class Random {
  constructor(seed) {
    this.state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max], both included. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability) {
    return this.next() < probability;
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks a key of weights ({name: weight}) with probability by weight. */
  weighted(weights) {
    const names = Object.keys(weights);
    const total = names.reduce((sum, name) => sum + weights[name], 0);
    let point = this.next() * total;

    for (const name of names) {
      point -= weights[name];
      if (point < 0) return name;
    }
    return names[names.length - 1];
  }

  hex(length) {
    let text = '';
    for (let i = 0; i < length; i++) text += this.int(0, 15).toString(16);
    return text;
  }
}

/** Derives the seed of one case from the run's seed, a part and an index. */
function caseSeed(seed, part, index) {
  let h = (seed ^ Math.imul(part + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

module.exports = { Random, caseSeed };
