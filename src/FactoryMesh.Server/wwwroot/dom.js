// DOM and number helpers shared by the dashboard's modules.
"use strict";

// Builds an element with DOM APIs only: attribute values go through setAttribute and content through text nodes,
// so nothing the server sends (trust reasons carry words from evidence and operators) is ever parsed as HTML.
export function el(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value != null) {
      element.setAttribute(name, String(value));
    }
  }
  element.append(...children.map(child => child instanceof Node ? child : String(child ?? "")));
  return element;
}

export function cell(content, className) { return el("td", className ? { class: className } : null, content); }

export function percent(value) { return value == null ? "–" : `${Math.round(value * 100)} %`; }
export function kilowatts(watts) { return watts == null ? "–" : `${(watts / 1000).toFixed(1)} kW`; }
export function decimal(value, digits) { return value == null ? "–" : Number(value).toFixed(digits); }
export function compact(value) { return value == null ? "–" : Math.round(value).toLocaleString("en"); }

// A figure of a few significant digits, for per-token quantities that span orders of magnitude.
export function significant(value) { return value == null ? "–" : Number(value).toPrecision(3); }
