/**
 * A topic arrives a page of articles at a time (`api.topic` with `TopicPaging`): the pages are
 * joined here, in order, each article once, with the whole topic's counts from the newest page.
 */
import type { Topic } from "../bindings";

/** Articles per page of a topic. */
export const TOPIC_PAGE = 25;

/** The topic shown so far with the next page after it. */
export function appendPage(shown: Topic, next: Topic): Topic {
  const seen = new Set(shown.articles.map((g) => g.article.id));
  return { ...next, articles: [...shown.articles, ...next.articles.filter((g) => !seen.has(g.article.id))] };
}

/** Whether the topic has articles not loaded yet. */
export function hasMore(topic: Topic): boolean {
  return topic.articles.length < topic.article_count;
}
