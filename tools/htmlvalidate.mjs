// html-validate configuration for evalpress's built pages. It is passed
// with --config by internal/sitetest (ValidateHTML), and by hand:
//
//   node_modules/.bin/html-validate --config tools/htmlvalidate.mjs public/**/*.html
//
// It is a JavaScript module and not .htmlvalidate.json so that every
// change to the recommended preset can carry its reason.
export default {
  root: true,
  extends: ["html-validate:recommended"],
  rules: {
    // Stricter than recommended: both are faults a reader meets.
    // Without a doctype the browser renders in quirks mode.
    "missing-doctype": "error",
    // aria-labelledby/aria-describedby/for naming an id that is not on the
    // page leave a control or a chart without its accessible name.
    "no-missing-references": "error",

    // Looser than recommended, each for a reason:
    //
    // Trailing whitespace in generated HTML comes from template layout; a
    // reader never sees it, and fixing it makes templates harder to read.
    "no-trailing-whitespace": "off",
    // The strict form wants ids that start with an ASCII letter, for the
    // sake of CSS selectors. Heading ids of Chinese narratives may start
    // with a digit ("1-项目概况"); HTML allows any id without spaces, and
    // fragment links to them work in every browser.
    "valid-id": ["error", { relaxed: true }],
    // Page titles are "<project name> - <site title>"; project names are
    // the bureau's own, often long (“潜江市2023年度残疾人‘两项补贴’项目”),
    // and must not be cut. The 70-character limit is a search-engine
    // display habit, not an accessibility or validity rule.
    "long-title": "off",
  },
};
