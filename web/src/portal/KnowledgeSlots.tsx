import { KnowledgeHighlights } from '../knowledge/KnowledgeWidget';
import { Suggestions } from '../knowledge/Suggestions';

/**
 * Where the knowledge base appears in the requester portal (docs/requesters.md). The portal
 * places these two slots and passes what it knows; the knowledge base fills them in (its
 * widget on the home page, its suggestions under the new-ticket form's subject). Each shows
 * nothing when the knowledge base has nothing for the person, and the portal works without.
 */

export interface KnowledgeWidgetProps {
  /** The branches the person works in (the widget may favour articles about their checks). */
  branchIds: readonly string[];
}

/** On the portal's home page, under what is already known of the branch. */
export function KnowledgeWidget(_props: KnowledgeWidgetProps) {
  return <KnowledgeHighlights />;
}

export interface KnowledgeSuggestionsProps {
  /** The subject as typed so far. */
  subject: string;
  category: string | null;
  /** The person said an article solved their problem: the portal leaves the form (deflection). */
  onSolved: (articleId: string) => void;
}

/** In the new-ticket form, under the subject, while it is typed (docs/knowledge-base.md). */
export function KnowledgeSuggestions({ subject, onSolved }: KnowledgeSuggestionsProps) {
  return <Suggestions subject={subject} onSolved={onSolved} />;
}
