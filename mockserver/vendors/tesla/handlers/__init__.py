"""TeSLA CE HTTP mapping, one module per resource; operationId == function name.

Permissions were checked by `auth.authenticate` before these run; lookups come before body
parsing, as in DRF's update views (a missing record is 404 whatever the body).
"""

from .logins import (approle, login, refresh_token)
from .institutions import (get_institution, list_institutions, partial_update_institution, update_institution)
from .users import (create_user, delete_user, get_user, list_users, partial_update_user, update_user)
from .instructors import (create_instructor, delete_instructor, get_instructor, list_instructors,
                          partial_update_instructor, update_instructor)
from .vles import (create_vle, delete_vle, get_vle, list_vles, partial_update_vle, update_vle)
from .courses import (create_course, delete_course, get_course, list_courses, partial_update_course, update_course)
from .instruments import (get_instrument, list_instruments)
from .course_people import (create_course_instructor, create_course_learner, delete_course_instructor,
                            delete_course_learner, get_course_instructor, get_course_learner,
                            list_course_instructors, list_course_learners, partial_update_course_instructor,
                            partial_update_course_learner, update_course_instructor, update_course_learner)
from .activities import (create_activity, create_activity_instrument, delete_activity, delete_activity_instrument,
                         get_activity, get_activity_instrument, list_activities, list_activity_instruments,
                         partial_update_activity, partial_update_activity_instrument, update_activity,
                         update_activity_instrument)
from .reports import (get_report, get_report_audit, get_report_request, list_report_audits, list_report_requests,
                      list_reports)
from .learners import (accept_learner_consent, create_learner, delete_learner, delete_learner_enrolment,
                       get_learner, get_learner_enrolment, list_learners, partial_update_learner,
                       reject_learner_consent, update_learner)
from .consent import (create_consent, create_consent_document, delete_consent, delete_consent_document,
                       get_consent, get_consent_document, get_current_consent, list_consent_documents,
                       list_consents, partial_update_consent, partial_update_consent_document, update_consent,
                       update_consent_document)
from .special_needs import (create_learner_send, create_send_category, delete_learner_send, delete_send_category,
                            get_learner_send, get_send_category, list_learner_sends, list_send_categories,
                            partial_update_learner_send, partial_update_send_category, update_learner_send,
                            update_send_category)
from .ui_options import (create_ui_option, delete_ui_option, get_ui_option, list_ui_options,
                         partial_update_ui_option, update_ui_option)
from .sessions import (get_profile, launcher_token, logout)
from .user_actions import (list_user_activities, update_user_profile)
from .groups import (create_group, delete_group, get_group, get_group_course, link_group_course,
                     list_group_courses, list_groups, partial_update_group, unlink_group_course, update_group)
from .assessment import (create_assessment, create_launcher)
from .attachments import (create_activity_attachment, list_activity_attachment_instruments)
from .samples import (create_alert, create_enrolment_sample, create_verification_sample, get_learner_profile,
                   get_sample_status)
from .storage import (get_stored_file)

# The VLE API (`/api/v2/vle/{vle_id}/...`).
from .vle import (vle_get_vle, vle_list_vles)
from .vle_courses import (vle_create_activity, vle_create_course, vle_delete_activity, vle_delete_course,
                          vle_get_activity, vle_get_course, vle_list_activities, vle_list_courses,
                          vle_partial_update_activity, vle_partial_update_course, vle_update_activity,
                          vle_update_course)
from .vle_instruments import (vle_create_activity_instrument, vle_delete_activity_instrument,
                              vle_get_activity_instrument, vle_get_instrument, vle_list_activity_instruments,
                              vle_list_instruments, vle_partial_update_activity_instrument,
                              vle_update_activity_instrument)
from .vle_results import (vle_get_activity_learner, vle_get_learner_request, vle_get_report,
                          vle_list_activity_learners, vle_list_learner_requests, vle_list_reports)
from .vle_enrolment import (vle_enrol_course_instructor, vle_enrol_course_learner, vle_get_course_instructor,
                         vle_get_course_learner, vle_list_course_instructors, vle_list_course_learners,
                         vle_partial_update_course_instructor, vle_partial_update_course_learner,
                         vle_unenrol_course_instructor, vle_unenrol_course_learner, vle_update_course_instructor,
                         vle_update_course_learner)

__all__ = [
    "accept_learner_consent", "approle", "create_activity", "create_activity_attachment", "create_activity_instrument",
    "create_alert", "create_assessment", "create_consent", "create_enrolment_sample", "create_launcher",
    "create_verification_sample", "get_learner_profile", "get_sample_status", "get_stored_file",
    "list_activity_attachment_instruments",
    "create_consent_document", "create_course", "create_course_instructor", "create_course_learner",
    "create_group", "create_instructor", "create_learner", "create_learner_send", "create_send_category",
    "create_ui_option", "create_user", "create_vle", "delete_activity", "delete_activity_instrument",
    "delete_consent", "delete_consent_document", "delete_course", "delete_course_instructor",
    "delete_course_learner", "delete_group", "delete_instructor", "delete_learner", "delete_learner_enrolment",
    "delete_learner_send", "delete_send_category", "delete_ui_option", "delete_user", "delete_vle",
    "get_activity", "get_activity_instrument", "get_consent", "get_consent_document", "get_course",
    "get_course_instructor", "get_course_learner", "get_current_consent", "get_group", "get_group_course",
    "get_institution", "get_instructor", "get_instrument", "get_learner", "get_learner_enrolment",
    "get_learner_send", "get_profile", "get_report", "get_report_audit", "get_report_request",
    "get_send_category", "get_ui_option", "get_user", "get_vle", "launcher_token", "link_group_course",
    "list_activities", "list_activity_instruments", "list_consent_documents", "list_consents",
    "list_course_instructors", "list_course_learners", "list_courses", "list_group_courses", "list_groups",
    "list_institutions", "list_instructors", "list_instruments", "list_learner_sends", "list_learners",
    "list_report_audits", "list_report_requests", "list_reports", "list_send_categories", "list_ui_options",
    "list_user_activities", "list_users", "list_vles", "login", "logout", "partial_update_activity",
    "partial_update_activity_instrument", "partial_update_consent", "partial_update_consent_document",
    "partial_update_course", "partial_update_course_instructor", "partial_update_course_learner",
    "partial_update_group", "partial_update_institution", "partial_update_instructor", "partial_update_learner",
    "partial_update_learner_send", "partial_update_send_category", "partial_update_ui_option",
    "partial_update_user", "partial_update_vle", "refresh_token", "reject_learner_consent",
    "unlink_group_course", "update_activity", "update_activity_instrument", "update_consent",
    "update_consent_document", "update_course", "update_course_instructor", "update_course_learner",
    "update_group", "update_institution", "update_instructor", "update_learner", "update_learner_send",
    "update_send_category", "update_ui_option", "update_user", "update_user_profile", "update_vle",
    "vle_create_activity", "vle_create_activity_instrument", "vle_create_course", "vle_delete_activity",
    "vle_delete_activity_instrument", "vle_delete_course", "vle_enrol_course_instructor",
    "vle_enrol_course_learner", "vle_get_activity", "vle_get_activity_instrument", "vle_get_activity_learner",
    "vle_get_course", "vle_get_course_instructor", "vle_get_course_learner", "vle_get_instrument",
    "vle_get_learner_request", "vle_get_report", "vle_get_vle", "vle_list_activities",
    "vle_list_activity_instruments", "vle_list_activity_learners", "vle_list_course_instructors",
    "vle_list_course_learners", "vle_list_courses", "vle_list_instruments", "vle_list_learner_requests",
    "vle_list_reports", "vle_list_vles", "vle_partial_update_activity",
    "vle_partial_update_activity_instrument", "vle_partial_update_course",
    "vle_partial_update_course_instructor", "vle_partial_update_course_learner",
    "vle_unenrol_course_instructor", "vle_unenrol_course_learner", "vle_update_activity",
    "vle_update_activity_instrument", "vle_update_course", "vle_update_course_instructor",
    "vle_update_course_learner",
]
