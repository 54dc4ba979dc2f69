// The example site's articles. A real site reads them from its CMS; each
// article's slug is its comment thread, threads/{slug}.

export const articles = [
  {
    slug: "harbour-ferry-returns",
    title: "Harbour ferry returns after a three-year pause",
    published: "2026-06-16",
    author: "Mara Lindqvist",
    source: "The Example Gazette",
    paragraphs: [
      "The small passenger ferry that once linked the old harbour with the island villages made its first crossing in three years on Thursday morning, after the town council approved a new operating contract on its fourth attempt.",
      "Residents of the islands had petitioned for the service since the previous operator withdrew. Three earlier proposals were turned down over the cost of repairs to the landing stages, which the council now says will be shared with the regional transport authority.",
      "“We waited a long time for this, and the first boat was full before seven,” said Ingrid Holm, who runs the café on the largest of the islands. “People can get to work and to school again without driving round the bay.”",
      "The ferry will run every hour from six in the morning until nine at night for a trial period of one year. The council will decide next summer whether to extend the contract, based on passenger numbers and the state of the landing stages.",
    ],
  },
  {
    slug: "library-night-opening",
    title: "Central library to open late on weekdays",
    published: "2026-06-12",
    author: "Tomas Ferreira",
    source: "The Example Gazette",
    paragraphs: [
      "From next month the central library will stay open until ten at night from Monday to Thursday, the first change to its opening hours in a decade.",
      "The later hours are paid for by closing one branch reading room that is rarely used in the evening, the library service said.",
    ],
  },
];

export function findArticle(slug) {
  return articles.find((article) => article.slug === slug);
}

export function threadOf(article) {
  return `threads/${article.slug}`;
}
