import { z } from 'zod';

/**
 * The shapes of DashScope's answers. Answers are untrusted: only what the
 * client relies on is required, everything else is optional and unknown
 * fields pass. A time may be a Beijing-time string or epoch milliseconds.
 */
const time = z.union([z.string(), z.number()]).nullish();

export const errorBodySchema = z
  .object({
    code: z.string().nullish(),
    message: z.string().nullish(),
    request_id: z.string().nullish(),
  })
  .loose();

export const submitAnswerSchema = z
  .object({
    request_id: z.string().nullish(),
    output: z.object({ task_id: z.string().min(1), task_status: z.string() }).loose(),
  })
  .loose();

export const taskAnswerSchema = z
  .object({
    request_id: z.string().nullish(),
    output: z
      .object({
        task_id: z.string().nullish(),
        task_status: z.string(),
        submit_time: time,
        scheduled_time: time,
        end_time: time,
        result_url: z.string().nullish(),
        results: z
          .array(
            z
              .object({
                url: z.string().nullish(),
                code: z.string().nullish(),
                message: z.string().nullish(),
              })
              .loose(),
          )
          .nullish(),
        code: z.string().nullish(),
        message: z.string().nullish(),
      })
      .loose(),
    usage: z.object({ image_count: z.number().nullish() }).loose().nullish(),
  })
  .loose();
export type TaskAnswer = z.infer<typeof taskAnswerSchema>;

export const listedTaskSchema = z
  .object({
    task_id: z.string().min(1),
    status: z.string().nullish(),
    task_status: z.string().nullish(),
    model_name: z.string().nullish(),
    request_id: z.string().nullish(),
    gmt_create: time,
    submit_time: time,
    start_time: time,
    end_time: time,
  })
  .loose();
export type ListedTaskAnswer = z.infer<typeof listedTaskSchema>;

export const listAnswerSchema = z
  .object({
    request_id: z.string().nullish(),
    data: z.array(listedTaskSchema).nullish(),
    total: z.number().nullish(),
    total_page: z.number().nullish(),
    page_no: z.number().nullish(),
    page_size: z.number().nullish(),
  })
  .loose();

export const cancelAnswerSchema = z
  .object({
    request_id: z.string().nullish(),
    code: z.string().nullish(),
    message: z.string().nullish(),
  })
  .loose();
