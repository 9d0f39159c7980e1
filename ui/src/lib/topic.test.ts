import { describe, expect, it } from "vitest";
import type { Topic, TopicArticle } from "../bindings";
import { appendPage, hasMore } from "./topic";

function group(id: number): TopicArticle {
  return { article: { id, title: `Article ${id}` }, highlights: [] } as unknown as TopicArticle;
}

function page(ids: number[], total: number, quotes: number): Topic {
  return { tag: "Summit", highlights: quotes, article_count: total, articles: ids.map(group) };
}

describe("topic pages", () => {
  it("joins pages in order, each article once, with the newest counts", () => {
    const first = page([9, 8, 7], 5, 12);
    expect(hasMore(first)).toBe(true);
    // An article added meanwhile shifts the next page by one: 7 comes again.
    const joined = appendPage(first, page([7, 6, 5], 6, 13));
    expect(joined.articles.map((g) => g.article.id)).toEqual([9, 8, 7, 6, 5]);
    expect([joined.article_count, joined.highlights]).toEqual([6, 13]);
    expect(hasMore(joined)).toBe(true);
    const last = appendPage(joined, page([4], 6, 13));
    expect(hasMore(last)).toBe(false);
  });
});
