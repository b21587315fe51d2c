import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ValidationError,
  type DomainError,
} from '../model/errors.ts';
import { LIMITS } from '../model/limits.ts';

type Translate = (detail: { id: string }) => DomainError;

/**
 * What each named constraint means to a caller. The domain checks the same rules first with
 * friendlier messages; this is the backstop that makes races and missed checks safe.
 */
const byConstraint: Record<string, Translate> = {
  tasks_title_length: () =>
    new ValidationError('title', `title must be 1-${LIMITS.titleLength} characters`),
  tasks_description_length: () =>
    new ValidationError(
      'description',
      `description must be at most ${LIMITS.descriptionLength} characters`,
    ),
  tasks_category_fk: ({ id }) => new NotFoundError('Category', id),
  task_tags_tag_fk: ({ id }) => new NotFoundError('Tag', id),
  task_tags_task_fk: ({ id }) => new NotFoundError('Task', id),
  task_tags_per_task_limit: () =>
    new LimitExceededError(
      'tagsPerTask',
      LIMITS.tagsPerTask,
      `A task can have at most ${LIMITS.tagsPerTask} tags; remove one before adding another.`,
    ),
  categories_per_user_limit: () =>
    new LimitExceededError(
      'categoriesPerUser',
      LIMITS.categoriesPerUser,
      `You can have at most ${LIMITS.categoriesPerUser} categories; delete one before creating another.`,
    ),
  tags_per_user_limit: () =>
    new LimitExceededError(
      'tagsPerUser',
      LIMITS.tagsPerUser,
      `You can have at most ${LIMITS.tagsPerUser} tags; delete one before creating another.`,
    ),
  categories_user_name_unique: () =>
    new ConflictError(
      'name',
      'You already have a category with this name (names are case-sensitive).',
    ),
  tags_user_name_unique: () =>
    new ConflictError('name', 'You already have a tag with this name (names are case-sensitive).'),
};

/**
 * Runs `work`, turning a violated constraint into the domain error it stands for; `id` names
 * the referenced row for not-found errors.
 */
export async function withConstraintErrors<T>(work: () => Promise<T>, id = ''): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const constraint = (error as { constraint?: string }).constraint;
    const translate = constraint ? byConstraint[constraint] : undefined;
    if (translate) throw translate({ id });
    throw error;
  }
}
